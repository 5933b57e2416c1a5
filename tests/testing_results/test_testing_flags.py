"""Tests overdue: a parent in the trial for change with no test of any kind for more than 7 days
is flagged for the manager each morning, one flag per parent, cleared when a test arrives."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from fdac.cases.models import PhaseChange
from fdac.cases.phases import Phase
from fdac.extensions import db
from fdac.flags.models import Flag
from testing_results import jobs
from testing_results.overdue import TEST_OVERDUE_DAYS, counting_from, is_overdue
from tests import factories
from tests.dashboard.helpers import add_test

TODAY = date(2027, 3, 10)
TRIAL_BEGAN = date(2027, 1, 4)


# --- The rule (pure) ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_since", "overdue"),
    [(0, False), (6, False), (7, False), (8, True), (30, True)],
)
def test_overdue_after_more_than_seven_days_without_a_test(days_since, overdue):
    assert TEST_OVERDUE_DAYS == 7
    assert is_overdue(TODAY - timedelta(days=days_since), TODAY) is overdue


@pytest.mark.parametrize(
    ("last_test", "counted_from"),
    [
        (None, TRIAL_BEGAN),  # never tested: the trial's first week is grace
        (date(2026, 12, 20), TRIAL_BEGAN),  # a test in the assessment does not count against
        (TRIAL_BEGAN, TRIAL_BEGAN),
        (date(2027, 3, 1), date(2027, 3, 1)),
    ],
)
def test_the_gap_counts_from_the_last_test_or_the_start_of_the_trial(last_test, counted_from):
    assert counting_from(last_test, TRIAL_BEGAN) == counted_from


# --- The job --------------------------------------------------------------------------------


def _trial_case(team, *names, began=TRIAL_BEGAN, phase=Phase.TRIAL_FOR_CHANGE):
    case = factories.make_case(team, phase=phase, entered_on=began)
    return case, [factories.add_parent(case, name) for name in names]


def _open_flags() -> list[tuple]:
    return list(
        db.session.execute(
            select(Flag.kind, Flag.case_id, Flag.subject, Flag.message)
            .where(Flag.resolved_at.is_(None))
            .order_by(Flag.case_id, Flag.subject)
        )
    )


def test_a_parent_untested_for_eight_days_is_flagged_by_name_the_other_not(team):
    case, (kelly, dean) = _trial_case(team, "Kelly Ashworth", "Dean Ashworth")
    add_test(kelly, TODAY - timedelta(days=8))
    add_test(dean, TODAY - timedelta(days=7), status="refused")  # a test that did not happen

    result = jobs.raise_testing_flags(TODAY)

    assert result.done == 1 and result.changed == 1
    assert _open_flags() == [
        (
            "tests_overdue",
            case.id,
            f"parent:{kelly.id}",
            "Kelly Ashworth: no test since 2 March 2027",
        )
    ]


def test_a_parent_never_tested_is_counted_from_the_start_of_the_trial(team):
    case, (kelly,) = _trial_case(team, "Kelly Ashworth", began=date(2027, 2, 1))
    add_test(kelly, date(2027, 1, 20))  # before the trial: does not count
    # Moved into the trial later than it entered FDAC: the latest move counts.
    db.session.add(
        PhaseChange(
            case_id=case.id,
            from_phase=Phase.ASSESSMENT,
            to_phase=Phase.TRIAL_FOR_CHANGE,
            changed_on=TODAY - timedelta(days=7),
        )
    )
    db.session.commit()

    jobs.raise_testing_flags(TODAY)
    assert _open_flags() == []

    jobs.raise_testing_flags(TODAY + timedelta(days=1))
    assert [flag[3] for flag in _open_flags()] == [
        "Kelly Ashworth: no test since the trial for change began on 3 March 2027"
    ]


def test_running_twice_changes_nothing_and_a_new_test_clears_the_flag(team):
    case, (kelly,) = _trial_case(team, "Kelly Ashworth")
    add_test(kelly, TODAY - timedelta(days=10))

    first = jobs.raise_testing_flags(TODAY)
    second = jobs.raise_testing_flags(TODAY)
    next_morning = jobs.raise_testing_flags(TODAY + timedelta(days=1))  # still overdue

    assert (first.changed, second.changed, next_morning.changed) == (1, 0, 0)
    assert db.session.scalar(select(db.func.count(Flag.id))) == 1

    add_test(kelly, TODAY, status="missed")
    cleared = jobs.raise_testing_flags(TODAY)

    assert cleared.changed == 1 and _open_flags() == []
    flag = db.session.scalar(select(Flag))
    assert flag.resolved_at is not None and flag.resolved_by_id is None


def test_an_amended_date_counts_as_amended(team):
    case, (kelly,) = _trial_case(team, "Kelly Ashworth")
    wrong = add_test(kelly, TODAY - timedelta(days=1))
    add_test(kelly, TODAY - timedelta(days=9), amends_id=wrong.id)  # it was taken earlier

    jobs.raise_testing_flags(TODAY)

    assert [flag[3] for flag in _open_flags()] == ["Kelly Ashworth: no test since 1 March 2027"]


def test_only_the_trial_for_change_is_checked_and_leaving_it_clears_the_flag(team):
    case, (kelly,) = _trial_case(team, "Kelly Ashworth")
    _trial_case(team, "Assessed Parent", phase=Phase.ASSESSMENT)
    _trial_case(team, "Final Parent", phase=Phase.FINAL_STAGE)
    jobs.raise_testing_flags(TODAY)
    assert [flag[1] for flag in _open_flags()] == [case.id]

    case.phase = Phase.FINAL_STAGE
    db.session.commit()
    result = jobs.raise_testing_flags(TODAY)

    assert result.changed == 1 and _open_flags() == []


def test_each_team_gets_its_own_parents_flags(team):
    ours, (kelly,) = _trial_case(team, "Kelly Ashworth")
    theirs, (sam,) = _trial_case(factories.make_team(), "Sam Other")

    result = jobs.raise_testing_flags(TODAY)

    assert result.done == 2
    flags = {flag.case_id: flag.team_id for flag in db.session.scalars(select(Flag))}
    assert flags == {ours.id: team.id, theirs.id: theirs.team_id}


def test_the_testing_job_runs_each_morning_after_the_contact_flags(app, monkeypatch):
    from fdac.jobs import JOBS, build_scheduler

    seen = []
    monkeypatch.setattr("fdac.jobs.london_today", lambda: TODAY)
    monkeypatch.setattr(jobs, "raise_testing_flags", lambda today: seen.append(today))
    job = next(job for job in JOBS if job.id == "raise-testing-flags")

    job.run()

    assert seen == [TODAY]
    triggers = {j.id: str(j.trigger) for j in build_scheduler(app).get_jobs()}
    assert triggers["raise-testing-flags"] == "cron[hour='6', minute='30']"
