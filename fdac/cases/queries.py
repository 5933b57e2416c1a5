"""Reading cases for lists and pages: always narrowed from visible_cases(user)."""

from dataclasses import dataclass

from sqlalchemy import Select, exists, or_, select

from fdac.audit.models import AuditEvent
from fdac.cases.models import Case, Child, Parent
from fdac.cases.phases import Phase


@dataclass(frozen=True)
class CaseFilters:
    text: str = ""
    phase: Phase | None = None
    keyworker_id: int | None = None
    judge_id: int | None = None


def filtered(query: Select, filters: CaseFilters) -> Select:
    """Search by reference, court number, or a parent's or child's name; filter by the rest."""
    if text := filters.text.strip():
        like = f"%{text.lower()}%"
        query = query.where(
            or_(
                Case.reference.ilike(like),
                Case.court_case_number.ilike(like.replace(" ", "")),
                exists().where(Parent.case_id == Case.id, Parent.name.ilike(like)),
                exists().where(Child.case_id == Case.id, Child.name.ilike(like)),
            )
        )
    if filters.phase is not None:
        query = query.where(Case.phase == filters.phase)
    if filters.keyworker_id is not None:
        query = query.where(Case.keyworker_id == filters.keyworker_id)
    if filters.judge_id is not None:
        query = query.where(Case.judge_id == filters.judge_id)
    return query.order_by(Case.reference.desc())


def case_history(case: Case) -> Select:
    return (
        select(AuditEvent)
        .where(AuditEvent.case_id == case.id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    )
