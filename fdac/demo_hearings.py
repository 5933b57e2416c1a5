"""The demo team's court and hearings: sittings, an absence, a closure, planned reviews and the
outcomes of those already held. Dated relative to `today`; deterministic for a seed.

The reviews are planned by the real planner (`hearings.planning`), from each family's trial for
change start, so the demo shows what the planner does: past reviews on their rhythm, future ones
moved round the judge's week away and the closure day, each move flagged for the manager.
"""

import random
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from fdac.auth.models import User
from fdac.auth.roles import Role
from fdac.cases.models import Case
from fdac.cases.phases import Phase
from fdac.dates import LONDON
from fdac.extensions import db
from fdac.flags import services as flags
from fdac.teams.models import Team
from hearings import planning
from hearings.calendar import Court, first_on_weekday
from hearings.kinds import KINDS, HearingKind, HearingStatus
from hearings.models import (
    ClosureDay,
    Extension,
    Hearing,
    HearingAttendance,
    HearingOutcome,
    JudgeAbsence,
    Sitting,
)
from hearings.timings import DEFAULT_HORIZON, NLR_INTERVAL

MONDAY, TUESDAY, WEDNESDAY, THURSDAY = range(4)

# (weekday, start, slot minutes, slots) for the first and second judge.
SITTINGS = [
    (MONDAY, time(10, 0), 30, 6),
    (WEDNESDAY, time(14, 0), 30, 4),
]

GOALS = [
    "Attend every drug test this fortnight and arrive on time.",
    "Go to two recovery group sessions a week and bring the attendance sheet.",
    "Keep every contact session with the children and arrive on time.",
    "Meet the housing officer about the rent arrears before the next review.",
    "Book the GP appointment for the mental health referral.",
    "Start the parenting course on Thursday mornings.",
    "Keep a diary of cravings and triggers to go through with the keyworker.",
    "Attend the intake appointment for the domestic abuse programme.",
    "Stay away from the old address and the people associated with it.",
    "Open a bank account and set up the rent payment.",
    "Take the prescribed methadone daily and keep every pharmacy appointment.",
    "Ring the keyworker every Monday morning to plan the week.",
]
NOTES = [
    "A good fortnight: every test negative and contact went well. The judge praised the "
    "progress and the effort the parents are making.",
    "One test missed through illness. The judge asked for a GP note next time and was "
    "encouraged by the honesty about a difficult week.",
    "Contact went well and the foster carer reports the children settled after visits. "
    "The judge asked how the parenting course is going.",
    "A lapse at the weekend, reported by the parent before the result came back. The judge "
    "discussed the relapse plan and the support in place.",
    "Housing is the main worry. The team will chase the council before the next review.",
    "Steady progress. The judge reminded the parents that the next fortnight matters for "
    "the decision about extending the trial.",
    "The parents arrived late and the hearing was short. The judge stressed the importance "
    "of punctuality for contact too.",
]
OTHERS_PRESENT = [
    "Keyworker",
    "Keyworker, social worker",
    "Keyworker, social worker, children's guardian",
    "Keyworker, parent mentor",
]
LAWYER_NOTES = {
    HearingKind.FIRST_HEARING: "Case allocated to FDAC. Interim care orders made and the "
    "parents agreed to the intensive assessment.",
    HearingKind.FCMH: "The team's assessment was accepted; the trial for change starts with "
    "fortnightly non-lawyer reviews. Directions made for the final evidence.",
}


def _court_day(day: date, weekdays=(TUESDAY, THURSDAY)) -> date:
    """The first day on or after `day` on one of `weekdays` that is not a bank holiday.

    Hearings with lawyers go on days the FDAC judges do not sit for reviews, so the demo
    shows no double-booked judge."""
    court = Court()
    while day.weekday() not in weekdays or court.closed_because(day):
        day += timedelta(days=1)
    return day


def _book(case: Case, kind: HearingKind, day: date, manager: User) -> Hearing:
    hearing = Hearing(
        case_id=case.id,
        kind=kind,
        day=day,
        starts_at=time(10, 0),
        duration_minutes=KINDS[kind].default_minutes,
        judge_id=case.judge_id,
        booked_by_id=manager.id,
    )
    db.session.add(hearing)
    return hearing


def _next_review_day(case: Case, weekday: int, after: date) -> date:
    """The case's first rhythm date on or after `after`, its reviews falling on `weekday`."""
    first = first_on_weekday(planning.trial_started_on(case), weekday)
    fortnights = max(0, -(-(after - first).days // NLR_INTERVAL.days))  # rounded up
    return first + fortnights * NLR_INTERVAL


def _set_up_court(team: Team, judges: list[User], cases: list[Case], today: date) -> None:
    """The sittings, then one week's absence for the first judge and one closure day on the
    second sitting's weekday, both a few weeks ahead and on a review day, so the demo always
    shows reviews moved round them."""
    sittings = []
    for n, (weekday, starts_at, slot_minutes, slots) in enumerate(SITTINGS):
        sitting = Sitting(
            team_id=team.id,
            weekday=weekday,
            starts_at=starts_at,
            slot_minutes=slot_minutes,
            slots=slots,
            judge_id=judges[n % len(judges)].id,
        )
        db.session.add(sitting)
        sittings.append(sitting)
    first, second = sittings[0], sittings[-1]
    away_from = today + timedelta(days=15)
    theirs = [case for case in cases if case.judge_id == first.judge_id]
    if theirs:
        away_from = _next_review_day(theirs[0], first.weekday, away_from)
    away_from = first_on_weekday(away_from - timedelta(days=6), MONDAY)
    db.session.add(
        JudgeAbsence(
            team_id=team.id,
            judge_id=first.judge_id,
            first_day=away_from,
            last_day=away_from + timedelta(days=4),
            reason="Annual leave",
        )
    )
    closed = _court_day(today + timedelta(days=29), weekdays=(second.weekday,))
    theirs = [case for case in cases if case.judge_id == second.judge_id]
    if theirs:
        closed = _next_review_day(theirs[0], second.weekday, closed)
    db.session.add(ClosureDay(team_id=team.id, day=closed, reason="Staff training day"))
    db.session.flush()


def _lawyer_hearings(cases: list[Case], today: date, manager: User) -> None:
    """A first hearing and an FCMH behind two families; an IRH (and one final hearing) ahead
    of the families in the final stage. Booked before planning, so reviews stop at the IRH."""
    for case in cases[:2]:
        _book(case, HearingKind.FIRST_HEARING, _court_day(case.issued_on + timedelta(7)), manager)
        _book(case, HearingKind.FCMH, _court_day(case.entered_on + timedelta(14)), manager)
    finals = [case for case in cases if case.phase is Phase.FINAL_STAGE]
    for n, case in enumerate(finals):
        irh = _court_day(today + timedelta(weeks=3 + 2 * n))
        _book(case, HearingKind.IRH, irh, manager)
        if n == 0:
            _book(case, HearingKind.FINAL_HEARING, _court_day(irh + timedelta(weeks=4)), manager)


def _extension(case: Case, today: date, manager: User) -> None:
    db.session.add(
        Extension(
            case_id=case.id,
            granted_on=max(case.issued_on, today - timedelta(days=10)),
            weeks=8,
            reason="To let the parents complete the trial for change and the final parenting "
            "assessment before the court decides.",
            recorded_by_id=manager.id,
        )
    )


def _record_outcome(hearing: Hearing, case: Case, rng: random.Random) -> None:
    is_review = hearing.kind is HearingKind.NLR
    outcome = HearingOutcome(
        hearing_id=hearing.id,
        case_id=case.id,
        others_present=rng.choice(OTHERS_PRESENT) if is_review else "Lawyers for all parties",
        goals=" ".join(rng.sample(GOALS, rng.choice([1, 2, 2, 3]))) if is_review else "",
        note=rng.choice(NOTES) if is_review else LAWYER_NOTES.get(hearing.kind, ""),
        recorded_by_id=case.keyworker_id,
        recorded_at=datetime.combine(hearing.day, time(16, 30), tzinfo=LONDON).astimezone(UTC),
    )
    db.session.add(outcome)
    for parent in case.parents:
        outcome.attendance.append(
            HearingAttendance(case_id=case.id, parent_id=parent.id, attended=rng.random() < 0.88)
        )
    hearing.status = HearingStatus.HELD


def add_court_and_hearings(team: Team, today: date, seed: int) -> None:
    """Set up the team's court and plan, hold and record its active families' hearings."""
    rng = random.Random(f"{seed}:hearings")
    judges = list(
        db.session.scalars(
            select(User).where(User.team_id == team.id, User.role == Role.JUDGE).order_by(User.id)
        )
    )
    manager = db.session.scalar(
        select(User).where(User.team_id == team.id, User.role == Role.TEAM_MANAGER)
    )
    if not judges:
        return
    cases = list(
        db.session.scalars(
            select(Case)
            .where(
                Case.team_id == team.id,
                Case.phase.in_(planning.PLANNED_PHASES),
                Case.judge_id.is_not(None),
            )
            .order_by(Case.id)
        )
    )
    _set_up_court(team, judges, cases, today)
    if not cases:
        return
    _lawyer_hearings(cases, today, manager)
    _extension(max(cases, key=lambda c: today - c.issued_on), today, manager)
    db.session.flush()
    court = planning.court_for(team.id)
    for case in cases:
        start = planning.trial_started_on(case)
        planning.set_schedule(case, first_nlr_on=start, sitting_id=None, by=None)
        db.session.flush()
        # Planned as if from the start of the trial, so the reviews already held exist too.
        planning.plan_reviews(case, start, (today - start) + DEFAULT_HORIZON, court=court)

    past = db.session.scalars(
        select(Hearing)
        .where(Hearing.case_id.in_([c.id for c in cases]), Hearing.day < today)
        .order_by(Hearing.case_id, Hearing.day)
    ).all()
    by_id = {case.id: case for case in cases}
    # The latest review of the family with the most reviews behind it is left unrecorded, so
    # the "outcome missing" flag shows; every family still has reviews held with outcomes.
    reviews = [h for h in past if h.kind is HearingKind.NLR]
    most = Counter(h.case_id for h in reviews).most_common(1)
    mine = [h for h in reviews if most and h.case_id == most[0][0]]
    unrecorded = max(mine, key=lambda h: h.day, default=None)
    for hearing in past:
        if hearing is not unrecorded:
            _record_outcome(hearing, by_id[hearing.case_id], rng)
            # Moves long behind us were the manager's business at the time, not today's.
            flags.clear_flag(hearing.case_id, "hearing_moved", f"hearing:{hearing.id}", manager)
    db.session.flush()
