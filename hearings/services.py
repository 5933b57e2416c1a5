"""Reading one case's hearings: the hearings page, one hearing, the case page's section.

No Flask here, and no writes: booking, moving and cancelling are hearings.booking, outcomes and
extensions hearings.outcomes, planning the reviews hearings.review_plans.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from fdac.cases.models import Case
from fdac.extensions import db
from hearings.clock import Clock, clock
from hearings.clock import Extension as ClockExtension
from hearings.kinds import HearingKind, HearingStatus
from hearings.models import Extension, Hearing, HearingAttendance, HearingChange, HearingOutcome


def hearing_of(case: Case, hearing_id: int) -> Hearing | None:
    """The case's hearing with its changes and outcomes, or None (another case's, or none)."""
    return db.session.scalar(
        select(Hearing)
        .where(Hearing.id == hearing_id, Hearing.case_id == case.id)
        .options(
            joinedload(Hearing.judge),
            selectinload(Hearing.changes).options(
                joinedload(HearingChange.changed_by),
                joinedload(HearingChange.from_judge),
                joinedload(HearingChange.to_judge),
            ),
            selectinload(Hearing.outcomes).options(
                joinedload(HearingOutcome.recorded_by),
                selectinload(HearingOutcome.attendance).joinedload(HearingAttendance.parent),
            ),
        )
    )


STATUS_TAGS = {
    HearingStatus.PLANNED: "blue",
    HearingStatus.HELD: "green",
    HearingStatus.CANCELLED: "grey",
}


@dataclass(frozen=True)
class HearingLine:
    """One hearing as the lists show it."""

    hearing: Hearing
    moved_from: date | None  # the date it was planned or first booked for, when moved
    tag_text: str
    tag_colour: str


def _line(hearing: Hearing, today: date) -> HearingLine:
    moved_from = None
    if hearing.moved:
        moved_from = hearing.planned_for
    else:
        first_move = next((c for c in hearing.changes if c.change == "moved"), None)
        if first_move is not None and first_move.from_day != hearing.day:
            moved_from = first_move.from_day
    if hearing.status is HearingStatus.PLANNED and hearing.day < today:
        return HearingLine(hearing, moved_from, "Outcome not recorded", "orange")
    return HearingLine(hearing, moved_from, hearing.status.label, STATUS_TAGS[hearing.status])


def _case_clock(case: Case, today: date, hearings: list[Hearing]) -> Clock | None:
    extensions = db.session.scalars(
        select(Extension).where(Extension.case_id == case.id).order_by(Extension.granted_on)
    )
    finals = [
        h.day
        for h in hearings
        if h.kind is HearingKind.FINAL_HEARING and h.status is not HearingStatus.CANCELLED
    ]
    return clock(
        case.issued_on,
        today,
        [ClockExtension(e.granted_on, e.weeks, e.reason) for e in extensions],
        max(finals, default=None),
    )


@dataclass(frozen=True)
class HearingsPage:
    upcoming: list[HearingLine]
    past: list[HearingLine]
    clock: Clock | None


def hearings_page(case: Case, today: date) -> HearingsPage:
    """Every hearing of the case, upcoming first (soonest first), then past (latest first)."""
    hearings = list(
        db.session.scalars(
            select(Hearing)
            .where(Hearing.case_id == case.id)
            .options(joinedload(Hearing.judge), selectinload(Hearing.changes))
            .order_by(Hearing.day, Hearing.starts_at, Hearing.id)
        ).unique()
    )
    lines = [_line(h, today) for h in hearings]
    return HearingsPage(
        upcoming=[line for line in lines if line.hearing.day >= today],
        past=[line for line in reversed(lines) if line.hearing.day < today],
        clock=_case_clock(case, today, hearings),
    )


@dataclass(frozen=True)
class CaseHearings:
    """The case page's section: what is next, last time's goals, the 26-week clock."""

    next_hearing: Hearing | None
    next_review: Hearing | None
    goals: HearingOutcome | None  # the current outcome of the last held hearing
    goals_set_on: date | None
    clock: Clock | None


def case_hearings(case: Case, today: date) -> CaseHearings:
    """Three queries whatever the number of hearings: hearings, last outcome, extensions."""
    hearings = list(
        db.session.scalars(
            select(Hearing)
            .where(Hearing.case_id == case.id, Hearing.status != HearingStatus.CANCELLED)
            .options(joinedload(Hearing.judge))
            .order_by(Hearing.day, Hearing.starts_at, Hearing.id)
        ).unique()
    )
    ahead = [h for h in hearings if h.day >= today and h.status is HearingStatus.PLANNED]
    last = db.session.execute(
        select(HearingOutcome, Hearing.day)
        .join(Hearing, Hearing.id == HearingOutcome.hearing_id)
        .where(Hearing.case_id == case.id, Hearing.status == HearingStatus.HELD)
        .order_by(Hearing.day.desc(), HearingOutcome.id.desc())
        .limit(1)
    ).first()
    return CaseHearings(
        next_hearing=ahead[0] if ahead else None,
        next_review=next((h for h in ahead if h.kind is HearingKind.NLR), None),
        goals=last[0] if last and last[0].goals else None,
        goals_set_on=last[1] if last else None,
        clock=_case_clock(case, today, hearings),
    )
