"""Re-planning the reviews a change to the court set-up takes off their day.

A closure, a judge's absence, a sitting changed or retired: the cases with a planned review on an
affected day are re-planned at once, so the reviews move and are flagged for the manager. Nothing
here commits: the court set-up service that made the change does.
"""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from fdac.cases.models import Case
from fdac.dates import uk_date, uk_time
from fdac.extensions import db
from fdac.flags import services as flags
from hearings.calendar import first_on_weekday
from hearings.kinds import HearingKind, HearingStatus
from hearings.models import ClosureDay, Hearing, JudgeAbsence, Sitting
from hearings.planner import sitting_for
from hearings.planning import case_to_plan, court_for, plan_reviews


def _reviews(n: int) -> str:
    return "1 review" if n == 1 else f"{n} reviews"


@dataclass
class Replanned:
    """What re-planning after a change did, for the flash message."""

    moved: int = 0
    not_booked: int = 0
    retimed: int = 0
    not_planned: list[str] = field(default_factory=list)  # "FDAC-2026-0001: why"
    still_there: int = 0  # hearings left on an affected day (booked by hand, or not movable)

    def sentences(self) -> list[str]:
        said = []
        if self.moved:
            said.append(f"{_reviews(self.moved)} moved: see the flags on the home page")
        if self.retimed:
            said.append(
                f"{_reviews(self.retimed)} now start at a new time: see the flags on the home page"
            )
        if self.not_booked:
            said.append(
                f"{_reviews(self.not_booked)} could not be re-booked: "
                "see the flags on the home page"
            )
        for why in self.not_planned:
            said.append(f"Not re-planned: {why}")
        if self.still_there:
            one = self.still_there == 1
            hearings = "1 hearing is" if one else f"{self.still_there} hearings are"
            them = "it" if one else "them"
            said.append(
                f"{hearings} still booked where the court cannot hear {them}: "
                f"move or cancel {them} from the case's hearings page"
            )
        return said


# --- what each change re-plans --------------------------------------------------------------


def after_closure(closure: ClosureDay, today: date) -> Replanned:
    return _replan(closure.team_id, today, Hearing.day == closure.day)


def after_absence(absence: JudgeAbsence, today: date) -> Replanned:
    where = (
        (Hearing.judge_id == absence.judge_id)
        & (Hearing.day >= absence.first_day)
        & (Hearing.day <= absence.last_day)
    )
    return _replan(absence.team_id, today, where)


def after_sitting_retired(sitting: Sitting, today: date) -> Replanned:
    """Move the reviews of a sitting just taken out of use to the judge's other sittings."""
    _follow_new_weekday(sitting, today)
    return _replan(sitting.team_id, today, _at(sitting), why="the sitting was retired")


def after_sitting_changed(sitting: Sitting, today: date) -> Replanned:
    """Move the reviews a changed sitting no longer fits; the others follow its new times."""
    _follow_new_weekday(sitting, today)
    replanned = _replan(
        sitting.team_id, today, _at(sitting), count_left=False, why="the sitting changed"
    )
    # Reviews left in this sitting keep their slot; their times follow the sitting's.
    rule = sitting.rule()
    for hearing in _affected_hearings(sitting.team_id, today, _at(sitting)):
        if not _fits(hearing, sitting):
            replanned.still_there += 1  # booked by hand, or nowhere to go: the manager decides
            continue
        starts_at = rule.slot_starts(hearing.slot)
        if (hearing.starts_at, hearing.duration_minutes) == (starts_at, sitting.slot_minutes):
            continue
        change = hearing.record_change("moved", "The sitting's times changed")
        change.to_day, change.to_starts_at, change.to_judge_id = (
            hearing.day,
            starts_at,
            hearing.judge_id,
        )
        hearing.starts_at = starts_at
        hearing.duration_minutes = sitting.slot_minutes
        db.session.flush()
        flags.raise_flag(
            hearing.case,
            "hearing_moved",
            f"hearing:{hearing.id}",
            f"The review on {uk_date(hearing.day)} now starts at {uk_time(starts_at)}: "
            "the sitting's times changed",
        )
        replanned.retimed += 1
    return replanned


# --- how -------------------------------------------------------------------------------------


def _at(sitting: Sitting):
    return Hearing.sitting_id == sitting.id


def _fits(hearing: Hearing, sitting: Sitting) -> bool:
    return (
        hearing.slot is not None
        and hearing.slot <= sitting.slots
        and hearing.day.weekday() == sitting.weekday
        and hearing.judge_id == sitting.judge_id
    )


def _follow_new_weekday(sitting: Sitting, today: date) -> None:
    """Let the reviews booked into `sitting` stand for the dates of their case's rhythm now.

    A case's rhythm falls on its sitting's weekday. When that sitting moves to another weekday
    (or is retired and the judge's other sitting is on another day), the booked reviews keep
    their old rhythm dates and the planner would book a second set beside them. Re-keyed to
    the new rhythm's dates, they are moved by the planner instead (and flagged).
    """
    court = court_for(sitting.team_id)
    for hearing in _affected_hearings(sitting.team_id, today, _at(sitting)):
        if hearing.planned_for is None:
            continue  # booked by hand: the manager moves it
        wanted = case_to_plan(hearing.case, court, today)
        rhythm = sitting_for(court, wanted) if not isinstance(wanted, str) else None
        old_weekday = hearing.planned_for.weekday()
        if rhythm is None or rhythm.weekday == old_weekday:
            continue
        shift = first_on_weekday(wanted.first_nlr, rhythm.weekday) - first_on_weekday(
            wanted.first_nlr, old_weekday
        )
        taken = db.session.scalar(
            select(Hearing.id).where(
                Hearing.case_id == hearing.case_id,
                Hearing.planned_for == hearing.planned_for + shift,
            )
        )
        if taken is None:
            hearing.planned_for += shift
            db.session.flush()


def _affected_hearings(team_id: int, today: date, where, *, nlr_only=True) -> list[Hearing]:
    """The team's planned reviews (or all hearings) from today that `where` picks out."""
    query = select(Hearing).join(Case, Case.id == Hearing.case_id)
    if nlr_only:
        query = query.where(Hearing.kind == HearingKind.NLR)
    return list(
        db.session.scalars(
            query.where(
                Case.team_id == team_id,
                Hearing.status == HearingStatus.PLANNED,
                Hearing.day >= today,
                where,
            ).order_by(Hearing.case_id, Hearing.day)
        )
    )


def _replan(
    team_id: int, today: date, where, *, count_left: bool = True, why: str = ""
) -> Replanned:
    """Re-plan every case with a planned review that `where` picks out.

    plan_reviews flags each review it moves off its planned day; one moved to another sitting
    on the same day (its time or judge's court changes) is flagged here, saying `why`.
    """
    replanned = Replanned()
    case_ids = sorted({h.case_id for h in _affected_hearings(team_id, today, where)})
    for case in db.session.scalars(select(Case).where(Case.id.in_(case_ids)).order_by(Case.id)):
        result = plan_reviews(case, today)
        if result.why_not:
            replanned.not_planned.append(f"{case.reference}: {result.why_not}")
        replanned.moved += len(result.moved)
        replanned.not_booked += len(result.not_booked)
        for hearing in result.moved:
            if not hearing.move_reason:
                flags.raise_flag(
                    case,
                    "hearing_moved",
                    f"hearing:{hearing.id}",
                    f"The review is now on {uk_date(hearing.day)} at "
                    f"{uk_time(hearing.starts_at)}: {why or 'the court set-up changed'}",
                )
    if count_left:
        # Hearings of any kind left there: booked by hand, or with nowhere to go.
        replanned.still_there = len(_affected_hearings(team_id, today, where, nlr_only=False))
    return replanned
