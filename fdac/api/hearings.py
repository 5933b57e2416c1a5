"""GET /api/v1/hearings: the hearings of the cases open to the caller, a page at a time, for a
local authority's case system.

The cases come from `visible_cases` (as on the calendar): a judge sees their own cases'
hearings, a team its own; a laboratory or an admin lists none (403). Kinds answer with the
API's fixed codes (fdac.api.fields, one table); times are Europe/London with their offset.
"""

from datetime import date, datetime
from math import ceil
from typing import Literal

from flask import current_app
from flask_login import current_user
from pydantic import Field
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from fdac.api.cases import MAX_PAGE
from fdac.api.errors import ApiError, ApiValidationError
from fdac.api.fields import HEARING_KIND_CODES, MAX_ID, HearingKindCode, LondonDateTime
from fdac.api.results.schemas import IsoDate
from fdac.api.spec import ApiModel, api
from fdac.auth.access import Action, can, visible_cases
from fdac.cases.models import Case
from fdac.dates import LONDON
from fdac.extensions import db
from hearings.kinds import HearingStatus
from hearings.models import Hearing

StatusCode = Literal[tuple(s.value for s in HearingStatus)]


class HearingQuery(ApiModel):
    from_: IsoDate | None = Field(
        None, alias="from", description="Hearings on or after this day (YYYY-MM-DD)"
    )
    to: IsoDate | None = Field(None, description="Hearings on or before this day (YYYY-MM-DD)")
    judge: int | None = Field(
        None,
        ge=1,
        le=MAX_ID,
        description="Only this judge's hearings: the judge's user id (an integer, as in "
        "`judge_id`). A judge whose hearings are not open to you gives an empty list",
    )
    page: int = Field(1, ge=1, le=MAX_PAGE, description="The page, from 1")


class HearingOut(ApiModel):
    id: int
    case: str = Field(description="The case's reference")
    kind: HearingKindCode = Field(
        description="The kind of hearing; kinds without a code are `other`"
    )
    kind_label: str = Field(description="The kind in full, for example 'Directions hearing'")
    starts_at: LondonDateTime = Field(
        description="ISO 8601 in Europe/London with its offset, e.g. 2026-06-01T10:00:00+01:00"
    )
    duration_minutes: int
    judge: str | None = Field(description="The judge's name; null if none is allocated")
    judge_id: int | None = Field(description="The judge's user id, as the `judge` filter takes")
    court: str = Field(description="The family court the case is heard in")
    status: StatusCode
    cancel_reason: str | None = Field(description="Why it was cancelled; null unless cancelled")
    planned_for: date | None = Field(
        description="For a review the planner booked: the fortnightly date it stands for"
    )
    moved: bool = Field(
        description="Not where it was first planned or booked: the planner placed a review "
        "off its fortnightly date, or the planner or a manager moved it since"
    )
    moved_from: LondonDateTime | None = Field(
        description="Where it stood before it was first moved (date and time, ISO 8601 with "
        "the offset); null if never moved, or if the planner booked it off its date at once "
        "(then see planned_for)"
    )
    moved_reason: str | None = Field(description="Why it moved; null if not moved")


class HearingPage(ApiModel):
    items: list[HearingOut]
    page: int
    pages: int
    per_page: int
    total: int


def _at(day: date, wall_clock) -> datetime:
    return datetime.combine(day, wall_clock, tzinfo=LONDON)


def hearing_out(hearing: Hearing) -> HearingOut:
    moves = [c for c in hearing.changes if c.change == "moved"]
    moved_from = None
    if moves and (moves[0].from_day, moves[0].from_starts_at) != (hearing.day, hearing.starts_at):
        moved_from = _at(moves[0].from_day, moves[0].from_starts_at)
    moved = hearing.moved or moved_from is not None
    reason = hearing.move_reason or (moves[-1].reason if moves else "")
    return HearingOut(
        id=hearing.id,
        case=hearing.case.reference,
        kind=HEARING_KIND_CODES[hearing.kind],
        kind_label=hearing.kind.label,
        starts_at=_at(hearing.day, hearing.starts_at),
        duration_minutes=hearing.duration_minutes,
        judge=hearing.judge.name if hearing.judge else None,
        judge_id=hearing.judge_id,
        court=hearing.case.team.court_name,
        status=hearing.status.value,
        cancel_reason=(hearing.cancel_reason or None) if hearing.is_cancelled else None,
        planned_for=hearing.planned_for,
        moved=moved,
        moved_from=moved_from,
        moved_reason=(reason or None) if moved else None,
    )


@api(
    "GET",
    "/hearings",
    summary="The hearings of the caller's cases, in time order, a page at a time",
    query=HearingQuery,
    answer=HearingPage,
    errors=(403,),
    tags=("hearings",),
)
def list_hearings(query: HearingQuery):
    """Every hearing (cancelled ones too) of the cases the caller may list, ordered by
    starts_at then id. A laboratory lists none: 403."""
    if not can(current_user, Action.LIST_CASES) or not can(current_user, Action.VIEW_CALENDAR):
        raise ApiError(403, "Your role may not list hearings")
    if query.from_ and query.to and query.to < query.from_:
        raise ApiValidationError([("to", "Must be the same as or after from")])
    per_page = current_app.config["API_PAGE_SIZE"]
    found = select(Hearing).where(
        Hearing.case_id.in_(visible_cases(current_user).with_only_columns(Case.id))
    )
    if query.from_ is not None:
        found = found.where(Hearing.day >= query.from_)
    if query.to is not None:
        found = found.where(Hearing.day <= query.to)
    if query.judge is not None:
        found = found.where(Hearing.judge_id == query.judge)
    total = db.session.scalar(select(func.count()).select_from(found.subquery()))
    hearings = db.session.scalars(
        found.options(
            joinedload(Hearing.case).joinedload(Case.team),
            joinedload(Hearing.judge),
            selectinload(Hearing.changes),
        )
        .order_by(Hearing.day, Hearing.starts_at, Hearing.id)
        .limit(per_page)
        .offset((query.page - 1) * per_page)
    ).unique()
    return HearingPage(
        items=[hearing_out(h) for h in hearings],
        page=query.page,
        pages=max(ceil(total / per_page), 1),
        per_page=per_page,
        total=total,
    )
