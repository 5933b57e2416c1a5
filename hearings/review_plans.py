"""Planning a case's fortnightly reviews by hand: the form's starting values, the plan, in words.

The planner itself (placing reviews round closures, absences and full sittings) is
hearings.planning; this saves where the case's rhythm starts, books up to the horizon and says
what changed.
"""

from datetime import date, timedelta

from sqlalchemy import select

from fdac.cases.models import Case
from fdac.extensions import db
from fdac.validation import FieldError
from hearings import planning
from hearings.models import Sitting
from hearings.saving import commit, refuse


def judge_sittings(case: Case) -> list[Sitting]:
    """The case judge's active sittings, the choices for the case's reviews."""
    if case.judge_id is None:
        return []
    return list(
        db.session.scalars(
            select(Sitting)
            .where(Sitting.judge_id == case.judge_id, Sitting.active.is_(True))
            .where(Sitting.team_id == case.team_id)
            .order_by(Sitting.weekday, Sitting.starts_at, Sitting.id)
        )
    )


def plan_defaults(case: Case, sittings: list[Sitting]) -> tuple[date | None, int | None]:
    """The form's starting values: the saved schedule, else the trial for change start."""
    schedule = planning.schedule_for(case)
    first = schedule.first_nlr_on if schedule else planning.trial_started_on(case)
    ids = [s.id for s in sittings]
    sitting_id = schedule.sitting_id if schedule and schedule.sitting_id in ids else None
    return first, sitting_id or (ids[0] if ids else None)


def plan_case_reviews(
    case: Case, first_nlr_on: date, sitting_id: int | None, horizon_weeks: int, *, by, today: date
) -> planning.PlanResult:
    """Save where the rhythm starts, then book the reviews up to the horizon (or the IRH)."""
    planning.set_schedule(case, first_nlr_on, sitting_id, by)
    result = planning.plan_reviews(case, today, timedelta(weeks=horizon_weeks))
    if result.why_not:
        refuse(FieldError(result.why_not))
    commit("Someone else planned this case just now. Check its hearings and try again", None)
    return result


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def plan_summary(result: planning.PlanResult) -> str:
    """'3 reviews booked, 1 moved from its planned date', for the page after planning."""
    parts = []
    if result.booked:
        parts.append(_count(len(result.booked), "review booked", "reviews booked"))
        off_rhythm = sum(1 for h in result.booked if h.day != h.planned_for)
        if off_rhythm:
            its = "its" if off_rhythm == 1 else "their"
            parts.append(f"{off_rhythm} moved from {its} planned date")
    if result.moved:
        parts.append(_count(len(result.moved), "review re-planned", "reviews re-planned"))
    if result.cancelled:
        parts.append(
            _count(len(result.cancelled), "review", "reviews") + " of the old rhythm cancelled"
        )
    if result.not_booked:
        parts.append(
            _count(len(result.not_booked), "review", "reviews") + " could not be booked: see flags"
        )
    if not result.changed and not result.not_booked:
        return "The reviews are already planned: nothing changed"
    if not result.changed:
        return "Nothing changed; " + parts[0]
    return ", ".join(parts)
