"""Planning a case's reviews: read the court and the diary, ask the pure planner, write its plan.

The page ("Plan reviews"), the nightly job and the demo data all come through here. Nothing
here commits: the caller owns the transaction, so a job can retry one case at a time.
"""

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from sqlalchemy import select

from fdac.cases.models import Case, PhaseChange
from fdac.cases.phases import Phase
from fdac.dates import uk_date
from fdac.extensions import db
from fdac.flags import services as flags
from hearings.calendar import Absence, Court
from hearings.kinds import HearingKind, HearingStatus
from hearings.models import ClosureDay, Hearing, JudgeAbsence, NlrSchedule, Sitting
from hearings.planner import Booking, CaseToPlan, Diary, Placement, off_rhythm, plan_case
from hearings.timings import DEFAULT_HORIZON, NLR_INTERVAL

# Reviews run while the family is in the trial for change and into the final stage (to the IRH).
PLANNED_PHASES = (Phase.TRIAL_FOR_CHANGE, Phase.FINAL_STAGE)


@dataclass
class PlanResult:
    booked: list[Hearing] = field(default_factory=list)
    moved: list[Hearing] = field(default_factory=list)
    cancelled: list[Hearing] = field(default_factory=list)  # booked for an older rhythm
    not_booked: list[Placement] = field(default_factory=list)
    why_not: str = ""  # set when the case cannot be planned at all

    @property
    def changed(self) -> bool:
        return bool(self.booked or self.moved or self.cancelled)


def court_for(team_id: int) -> Court:
    """The team's court as the planner sees it: active sittings, closures, absences."""
    sittings = db.session.scalars(
        select(Sitting).where(Sitting.team_id == team_id, Sitting.active.is_(True))
    )
    closures = db.session.execute(
        select(ClosureDay.day, ClosureDay.reason).where(ClosureDay.team_id == team_id)
    )
    absences = db.session.execute(
        select(
            JudgeAbsence.judge_id,
            JudgeAbsence.first_day,
            JudgeAbsence.last_day,
            JudgeAbsence.reason,
        ).where(JudgeAbsence.team_id == team_id)
    )
    return Court(
        sittings=tuple(s.rule() for s in sittings),
        closures={day: reason for day, reason in closures},
        absences=tuple(Absence(*row) for row in absences),
    )


def diary_for(team_id: int, since: date) -> list[Booking]:
    """Every hearing of the team's cases from `since` (cancelled ones too: they are decisions)."""
    rows = db.session.execute(
        select(
            Hearing.id,
            Hearing.case_id,
            Hearing.day,
            Hearing.sitting_id,
            Hearing.slot,
            Hearing.judge_id,
            Hearing.kind,
            Hearing.planned_for,
            Hearing.moved_by_hand,
            Hearing.status,
        )
        .join(Case, Case.id == Hearing.case_id)
        .where(Case.team_id == team_id, Hearing.day >= since - 2 * NLR_INTERVAL)
    )
    rows = list(rows)
    planned = {(row.case_id, row.planned_for) for row in rows if row.planned_for is not None}
    bookings = []
    for row in rows:
        is_nlr = row.kind is HearingKind.NLR
        planned_for, by_hand = row.planned_for, False
        if is_nlr and planned_for is None and row.status is not HearingStatus.CANCELLED:
            # A review the manager booked by hand stands for the review of its own day, so
            # the planner neither books a second one that day nor moves it.
            by_hand = (row.case_id, row.day) not in planned
            planned_for = row.day if by_hand else None
        bookings.append(
            Booking(
                case_id=row.case_id,
                day=row.day,
                hearing_id=row.id,
                sitting_id=row.sitting_id,
                slot=row.slot,
                judge_id=row.judge_id,
                is_nlr=is_nlr,
                planned_for=planned_for,
                fixed=by_hand or row.moved_by_hand or row.status is HearingStatus.HELD,
                cancelled=row.status is HearingStatus.CANCELLED,
            )
        )
    return bookings


def trial_started_on(case: Case) -> date | None:
    return db.session.scalar(
        select(PhaseChange.changed_on)
        .where(PhaseChange.case_id == case.id, PhaseChange.to_phase == Phase.TRIAL_FOR_CHANGE)
        .order_by(PhaseChange.changed_on.desc(), PhaseChange.id.desc())
        .limit(1)
    )


def next_irh(case: Case, today: date) -> date | None:
    return db.session.scalar(
        select(Hearing.day)
        .where(
            Hearing.case_id == case.id,
            Hearing.kind == HearingKind.IRH,
            Hearing.status != HearingStatus.CANCELLED,
            Hearing.day >= today,
        )
        .order_by(Hearing.day)
        .limit(1)
    )


def schedule_for(case: Case) -> NlrSchedule | None:
    return db.session.scalar(select(NlrSchedule).where(NlrSchedule.case_id == case.id))


def case_to_plan(
    case: Case, court: Court, today: date, horizon: timedelta = DEFAULT_HORIZON
) -> CaseToPlan | str:
    """What the planner needs for `case`, or a sentence saying why it cannot be planned."""
    if case.is_closed:
        return "The case is closed"
    if case.judge_id is None:
        return "The case has no judge allocated"
    if not any(s.judge_id == case.judge_id for s in court.sittings):
        return f"{case.judge.name} has no FDAC sitting: add one in the court set-up"
    schedule = schedule_for(case)
    first = schedule.first_nlr_on if schedule else trial_started_on(case)
    if first is None:
        return "Reviews start with the trial for change: choose the first review date"
    until = today + horizon
    irh = next_irh(case, today)
    last_day = irh - timedelta(days=1) if irh is not None else None
    if last_day is not None:
        until = min(until, last_day)
    return CaseToPlan(
        case_id=case.id,
        judge_id=case.judge_id,
        first_nlr=first,
        until=until,
        sitting_id=schedule.sitting_id if schedule else None,
        last_day=last_day,  # a review moved late never lands on or after the IRH
    )


def _book(case: Case, placement: Placement, court: Court) -> Hearing:
    sitting = court.sitting(placement.sitting_id)
    return Hearing(
        case_id=case.id,
        kind=HearingKind.NLR,
        day=placement.day,
        starts_at=sitting.slot_starts(placement.slot),
        duration_minutes=sitting.slot_minutes,
        judge_id=placement.judge_id,
        sitting_id=placement.sitting_id,
        slot=placement.slot,
        planned_for=placement.planned_for,
        move_reason=placement.reason,
    )


def _move(hearing: Hearing, placement: Placement, court: Court) -> None:
    sitting = court.sitting(placement.sitting_id)
    change = hearing.record_change("moved", f"Re-planned: {placement.reason}")
    hearing.day = placement.day
    hearing.starts_at = sitting.slot_starts(placement.slot)
    hearing.duration_minutes = sitting.slot_minutes
    hearing.sitting_id = placement.sitting_id
    hearing.slot = placement.slot
    hearing.judge_id = placement.judge_id
    hearing.move_reason = placement.reason
    change.to_day, change.to_starts_at, change.to_judge_id = (
        hearing.day,
        hearing.starts_at,
        hearing.judge_id,
    )


def _flag(case: Case, placement: Placement, hearing: Hearing | None) -> None:
    planned = uk_date(placement.planned_for)
    if hearing is None:
        flags.raise_flag(
            case,
            "review_not_booked",
            f"planned:{placement.planned_for.isoformat()}",
            f"The review planned for {planned} could not be booked: {placement.reason}",
        )
    else:
        flags.raise_flag(
            case,
            "hearing_moved",
            f"hearing:{hearing.id}",
            f"The review planned for {planned} is on {uk_date(hearing.day)}: {placement.reason}",
        )


def plan_reviews(
    case: Case, today: date, horizon: timedelta = DEFAULT_HORIZON, court: Court | None = None
) -> PlanResult:
    """Bring the case's NLRs into line with its rhythm up to the IRH or the horizon."""
    court = court or court_for(case.team_id)
    wanted = case_to_plan(case, court, today, horizon)
    if isinstance(wanted, str):
        return PlanResult(why_not=wanted)
    bookings = diary_for(case.team_id, min(today, wanted.first_nlr))
    result = PlanResult()
    hearings = {h.id: h for h in _case_hearings(case)}
    stale = off_rhythm(court, wanted, bookings, today)
    for booking in stale:
        _cancel_stale(hearings[booking.hearing_id])
        result.cancelled.append(hearings[booking.hearing_id])
    stale_ids = {b.hearing_id for b in stale}
    diary = Diary(replace(b, cancelled=True) if b.hearing_id in stale_ids else b for b in bookings)
    for placement in plan_case(court, wanted, diary, today):
        if placement.day is None:
            result.not_booked.append(placement)
            _flag(case, placement, None)
            continue
        if placement.hearing_id is None:
            hearing = _book(case, placement, court)
            db.session.add(hearing)
            result.booked.append(hearing)
        else:
            hearing = hearings[placement.hearing_id]
            _move(hearing, placement, court)
            result.moved.append(hearing)
        if placement.flagged:
            db.session.flush()  # the flag names the hearing by id
            _flag(case, placement, hearing)
    db.session.flush()
    return result


def _cancel_stale(hearing: Hearing) -> None:
    reason = "Replaced: the case's reviews were re-planned from a new first date or sitting"
    hearing.record_change("cancelled", reason)
    hearing.status = HearingStatus.CANCELLED
    hearing.cancel_reason = reason


def _case_hearings(case: Case) -> list[Hearing]:
    return list(db.session.scalars(select(Hearing).where(Hearing.case_id == case.id)))


def set_schedule(case: Case, first_nlr_on: date, sitting_id: int | None, by) -> NlrSchedule:
    """Record where the case's rhythm starts and on which sitting (the manager's choice)."""
    schedule = schedule_for(case) or NlrSchedule(case_id=case.id)
    schedule.first_nlr_on = first_nlr_on
    schedule.sitting_id = sitting_id
    schedule.set_by_id = by.id if by is not None else None
    db.session.add(schedule)
    return schedule


def cases_to_plan() -> list[Case]:
    """Every case whose reviews the nightly job keeps planned."""
    return list(
        db.session.scalars(
            select(Case)
            .where(Case.phase.in_(PLANNED_PHASES), Case.judge_id.is_not(None))
            .order_by(Case.team_id, Case.id)
        )
    )
