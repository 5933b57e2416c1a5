"""Raise, clear and list flags. Nothing here commits: the caller owns the transaction."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from fdac.dates import utc_now
from fdac.extensions import db
from fdac.flags.kinds import FLAG_KINDS
from fdac.flags.models import Flag


def _find(case_id: int, kind: str, subject: str) -> Flag | None:
    return db.session.scalar(
        select(Flag).where(Flag.case_id == case_id, Flag.kind == kind, Flag.subject == subject)
    )


def raise_flag(case, kind: str, subject: str, message: str) -> Flag:
    """Open the flag (kind, case, subject), reopening it if it was resolved; never a second one."""
    if kind not in FLAG_KINDS:
        raise ValueError(f"unknown flag kind {kind!r}")
    flag = _find(case.id, kind, subject)
    if flag is None:
        flag = Flag(team_id=case.team_id, case_id=case.id, kind=kind, subject=subject)
        db.session.add(flag)
    if flag.message != message:
        flag.message = message
    if flag.resolved_at is not None:
        flag.resolved_at = None
        flag.resolved_by_id = None
        flag.raised_at = utc_now()
    return flag


def clear_flag(case_id: int, kind: str, subject: str, by=None) -> None:
    """Resolve the flag if it is open (the condition has gone, or a person has seen it)."""
    flag = _find(case_id, kind, subject)
    if flag is not None and flag.resolved_at is None:
        flag.resolved_at = utc_now()
        flag.resolved_by_id = by.id if by is not None else None


def open_flags(cases_query) -> list[Flag]:
    """Open flags on the cases `cases_query` selects (pass visible_cases(user)), newest first."""
    from fdac.cases.models import Case

    case_ids = cases_query.with_only_columns(Case.id)
    return list(
        db.session.scalars(
            select(Flag)
            .where(Flag.resolved_at.is_(None), Flag.case_id.in_(case_ids))
            .options(selectinload(Flag.case))
            .order_by(Flag.raised_at.desc(), Flag.id.desc())
        )
    )
