"""The demo team's court and hearings: what `flask fdac demo-data` promises to show."""

from collections import Counter

from sqlalchemy import select

from fdac.cases.models import Case
from fdac.dates import london_today
from fdac.extensions import db
from hearings import planning
from hearings.calendar import bank_holiday_name
from hearings.kinds import HearingKind, HearingStatus
from hearings.models import (
    ClosureDay,
    Extension,
    Hearing,
    HearingOutcome,
    JudgeAbsence,
    NlrSchedule,
    Sitting,
)


def test_demo_data_sets_up_the_court_and_plans_holds_and_records_hearings(app):
    result = app.test_cli_runner().invoke(args=["fdac", "demo-data"])
    assert result.exit_code == 0, result.output
    today = london_today()
    sittings = {s.id: s for s in db.session.scalars(select(Sitting))}
    hearings = list(db.session.scalars(select(Hearing)))
    nlrs = [h for h in hearings if h.kind is HearingKind.NLR]
    active = list(
        db.session.scalars(
            select(Case).where(Case.phase.in_(planning.PLANNED_PHASES), Case.judge_id.is_not(None))
        )
    )

    # The court: two judges' sittings, a week away and a closure day, both still to come.
    assert len({s.judge_id for s in sittings.values()}) == 2
    [absence] = db.session.scalars(select(JudgeAbsence))
    assert absence.first_day > today and (absence.last_day - absence.first_day).days == 4
    [closure] = db.session.scalars(select(ClosureDay))
    assert closure.day > today

    # Every active family has its schedule, reviews held with outcomes and reviews ahead.
    assert active and {s.case_id for s in db.session.scalars(select(NlrSchedule))} == {
        c.id for c in active
    }
    for case in active:
        mine = [h for h in nlrs if h.case_id == case.id]
        assert any(h.day < today and h.status is HearingStatus.HELD for h in mine), case.id
        assert any(h.day >= today and h.status is HearingStatus.PLANNED for h in mine), case.id

    # The reviews keep the rules: the case's judge, the judge's sittings, the capacity.
    judge_of = {c.id: c.judge_id for c in active}
    for hearing in nlrs:
        assert hearing.judge_id == judge_of[hearing.case_id]
        assert sittings[hearing.sitting_id].judge_id == hearing.judge_id
        assert sittings[hearing.sitting_id].weekday == hearing.day.weekday()
        assert bank_holiday_name(hearing.day) is None
        assert hearing.day != closure.day
        assert not (
            hearing.judge_id == absence.judge_id
            and absence.first_day <= hearing.day <= absence.last_day
        )
    per_case_day = Counter((h.case_id, h.day) for h in hearings if not h.is_cancelled)
    assert max(per_case_day.values()) == 1
    per_sitting = Counter((h.sitting_id, h.day) for h in nlrs)
    assert all(n <= sittings[sitting_id].slots for (sitting_id, _), n in per_sitting.items())
    assert any(h.moved and h.move_reason for h in nlrs if h.day >= today)

    # Held hearings have their outcome, each parent's attendance and goals; one is left open.
    held = [h for h in hearings if h.status is HearingStatus.HELD]
    assert held and all(h.day < today for h in held)
    for hearing in held:
        outcome = hearing.outcome
        assert outcome is not None
        assert len(outcome.attendance) == len(hearing.case.parents)
        if hearing.kind is HearingKind.NLR:
            assert outcome.goals and outcome.note
    unrecorded = [h for h in hearings if h.day < today and h.status is HearingStatus.PLANNED]
    assert len(unrecorded) == 1
    outcomes = select(HearingOutcome).where(HearingOutcome.hearing_id == unrecorded[0].id)
    assert db.session.scalar(outcomes) is None

    # Hearings with lawyers: behind some families, ahead of others; one extension granted.
    kinds = Counter(h.kind for h in hearings)
    assert kinds[HearingKind.FIRST_HEARING] and kinds[HearingKind.FCMH]
    assert all(h.day < today for h in hearings if h.kind is HearingKind.FCMH)
    irhs = [h for h in hearings if h.kind is HearingKind.IRH]
    assert irhs and all(h.day > today and h.sitting_id is None for h in irhs)
    for irh in irhs:  # reviews stop before the IRH
        assert all(h.day < irh.day for h in nlrs if h.case_id == irh.case_id)
    [extension] = db.session.scalars(select(Extension))
    assert extension.weeks == 8 and extension.granted_on <= today
