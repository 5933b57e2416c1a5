"""GET /api/v1/cases and /api/v1/cases/{reference}: the caller's cases, as the pages show them.

`case_for_api(reference, action)` is how every endpoint about one case finds it: a case outside
the caller's reach is a 404 (its existence is not revealed, as on the pages), a case in reach
that the role may not act on is a 403.
"""

from datetime import date
from math import ceil

from flask import current_app
from flask_login import current_user
from pydantic import Field
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from fdac.api.errors import ApiError
from fdac.api.spec import ApiModel, api
from fdac.auth.access import Action, can, cases_in_reach, visible_cases
from fdac.cases.models import Case
from fdac.cases.phases import Phase
from fdac.extensions import db
from fdac.reports.case_pseudonyms import pseudonyms_for_case

MAX_PAGE = 100_000


def case_for_api(reference: str, action: Action) -> Case:
    """The case with `reference` if the caller may do `action` to it; else ApiError 404/403."""
    case = db.session.scalar(cases_in_reach(current_user).where(Case.reference == reference))
    if case is None:
        raise ApiError(404, "No case with this reference is open to you")
    if not can(current_user, action, case):
        raise ApiError(403, "Your role may not do this to this case")
    return case


class Person(ApiModel):
    id: int
    name: str = Field(description="The parent's name; with anonymise, 'the mother' and the like")


class CaseOut(ApiModel):
    reference: str
    court_case_number: str
    phase: Phase
    issued_on: date | None = Field(description="Proceedings issued; null while pre-proceedings")
    entered_on: date
    judge: str | None = Field(description="The judge's name (initials with anonymise)")
    keyworker: str | None = Field(description="The keyworker's name (initials with anonymise)")
    parents: list[Person]
    anonymised: bool


class CasePage(ApiModel):
    items: list[CaseOut]
    page: int
    pages: int
    per_page: int
    total: int


class CaseListQuery(ApiModel):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="The page, from 1")
    anonymise: bool = Field(False, description="No names: initials and relationships instead")


class CaseQuery(ApiModel):
    anonymise: bool = Field(False, description="No names: initials and relationships instead")


def case_out(case: Case, anonymise: bool) -> CaseOut:
    if anonymise:
        names = pseudonyms_for_case(case)
        name = names.name_for
    else:

        def name(person):
            return person.name if person is not None else None

    return CaseOut(
        reference=case.reference,
        court_case_number=case.court_case_number,
        phase=case.phase,
        issued_on=case.issued_on,
        entered_on=case.entered_on,
        judge=name(case.judge) or None,
        keyworker=name(case.keyworker) or None,
        parents=[Person(id=p.id, name=name(p)) for p in case.parents],
        anonymised=anonymise,
    )


_LOAD = (selectinload(Case.judge), selectinload(Case.keyworker), selectinload(Case.parents))


@api(
    "GET",
    "/cases",
    summary="The cases open to the caller, by reference, a page at a time",
    query=CaseListQuery,
    answer=CasePage,
    errors=(403,),
    tags=("cases",),
)
def list_cases(query: CaseListQuery):
    """Every case the caller may list (the pages' own rule). A laboratory lists none: 403."""
    if not can(current_user, Action.LIST_CASES):
        raise ApiError(403, "Your role may not list cases")
    per_page = current_app.config["API_PAGE_SIZE"]
    cases = visible_cases(current_user)
    total = db.session.scalar(select(func.count()).select_from(cases.subquery()))
    found = db.session.scalars(
        cases.options(*_LOAD)
        .order_by(Case.reference)
        .limit(per_page)
        .offset((query.page - 1) * per_page)
    )
    return CasePage(
        items=[case_out(case, query.anonymise) for case in found],
        page=query.page,
        pages=max(ceil(total / per_page), 1),
        per_page=per_page,
        total=total,
    )


@api(
    "GET",
    "/cases/{reference}",
    summary="One case",
    query=CaseQuery,
    answer=CaseOut,
    errors=(403, 404),
    tags=("cases",),
)
def get_case(reference: str, query: CaseQuery):
    """A case the caller may see; 404 if it is not open to them."""
    return case_out(case_for_api(reference, Action.VIEW_CASE), query.anonymise)
