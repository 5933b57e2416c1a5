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
    elif seen_already(flag, message):
        return flag
    _open(flag, message)
    return flag


def seen_already(flag: Flag, message: str) -> bool:
    """A person marked this event flag dealt with and nothing new has happened since: the
    nightly re-plan reporting the same unbookable review must not bring it back every night."""
    return (
        flag.resolved_by_id is not None
        and not FLAG_KINDS[flag.kind].computed
        and flag.message == message
    )


def _open(flag: Flag, message: str) -> bool:
    """Give the flag its message and reopen it if resolved; True when anything changed."""
    changed = False
    if flag.message != message:
        flag.message = message
        changed = True
    if flag.resolved_at is not None:
        flag.resolved_at = None
        flag.resolved_by_id = None
        flag.raised_at = utc_now()
        changed = True
    return changed


def clear_flag(case_id: int, kind: str, subject: str, by=None) -> None:
    """Resolve the flag if it is open (the condition has gone, or a person has seen it)."""
    flag = _find(case_id, kind, subject)
    if flag is not None and flag.resolved_at is None:
        flag.resolved_at = utc_now()
        flag.resolved_by_id = by.id if by is not None else None


def resolve(flag: Flag, by) -> None:
    """A person has dealt with the flag. Computed kinds cannot be: the daily job clears them."""
    if FLAG_KINDS[flag.kind].computed:
        raise ValueError(f"{flag.kind} flags clear themselves when the condition goes")
    clear_flag(flag.case_id, flag.kind, flag.subject, by=by)


def sync_flags(team_id: int, kinds, wanted: dict[tuple[str, int, str], str]) -> int:
    """Make the team's flags of `kinds` match `wanted` ({(kind, case id, subject): message}).

    Each wanted flag is raised, or reopened, or left alone when already open with that message;
    every other open flag of those kinds is cleared. One query for any number of cases; returns
    how many flags changed, so a second run with the same `wanted` returns 0.
    """
    existing = {
        (flag.kind, flag.case_id, flag.subject): flag
        for flag in db.session.scalars(
            select(Flag).where(Flag.team_id == team_id, Flag.kind.in_(tuple(kinds)))
        )
    }
    changed = 0
    for (kind, case_id, subject), message in wanted.items():
        if kind not in kinds:
            raise ValueError(f"{kind!r} is not one of the kinds being brought up to date")
        flag = existing.get((kind, case_id, subject))
        if flag is None:
            db.session.add(
                Flag(team_id=team_id, case_id=case_id, kind=kind, subject=subject, message=message)
            )
            changed += 1
        elif _open(flag, message):
            changed += 1
    now = utc_now()
    for key, flag in existing.items():
        if key not in wanted and flag.resolved_at is None:
            flag.resolved_at = now
            flag.resolved_by_id = None
            changed += 1
    db.session.flush()
    return changed


def teams_with_open(kinds) -> set[int]:
    """The teams with an open flag of one of `kinds`: a job must visit them to clear flags
    whose condition went, even when the team has no case left for the job to look at."""
    return set(
        db.session.scalars(
            select(Flag.team_id).where(Flag.kind.in_(kinds), Flag.resolved_at.is_(None)).distinct()
        )
    )


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
