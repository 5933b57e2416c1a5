"""The scheduled jobs: plans kept to the horizon, flags raised and cleared, nothing duplicated
when a job runs twice or two schedulers run it at once (on SQLite and on PostgreSQL)."""

import threading
from collections import Counter
from datetime import date, time, timedelta

import pytest
from sqlalchemy import event, select

from fdac.cases.phases import Phase
from fdac.extensions import db
from fdac.flags.models import Flag
from fdac.flags.services import raise_flag
from fdac.jobs import JOBS
from hearings import jobs, planning
from hearings.kinds import HearingKind, HearingStatus
from hearings.models import Extension, Hearing
from tests import factories

TODAY = date(2027, 3, 3)  # a Wednesday
TRIAL_STARTS = date(2027, 2, 15)  # a Monday: reviews every other Monday from here
# Issued two weeks before today: the 26-week deadline is far off unless a test says otherwise.
ISSUED = TODAY - timedelta(weeks=2)


@pytest.fixture
def judge(team):
    judge = factories.make_user("judge", team=team)
    factories.make_sitting(team, judge)  # Mondays, six slots
    return judge


def _case(team, judge, **fields):
    fields.setdefault("entered_on", TRIAL_STARTS)
    fields.setdefault("issued_on", ISSUED)
    return factories.make_case(team, judge_id=judge.id, **fields)


def _nlrs() -> list[tuple]:
    return list(
        db.session.execute(
            select(
                Hearing.case_id, Hearing.planned_for, Hearing.day, Hearing.slot, Hearing.judge_id
            )
            .where(Hearing.kind == HearingKind.NLR)
            .order_by(Hearing.case_id, Hearing.planned_for)
        )
    )


def _flags() -> list[tuple]:
    return list(
        db.session.execute(
            select(Flag.kind, Flag.case_id, Flag.subject, Flag.resolved_at.is_(None)).order_by(
                Flag.kind, Flag.case_id, Flag.subject
            )
        )
    )


def _open_flags() -> set[tuple[str, int, str]]:
    return {(kind, case_id, subject) for kind, case_id, subject, is_open in _flags() if is_open}


def _no_duplicates() -> None:
    reviews = Counter(
        db.session.execute(
            select(Hearing.case_id, Hearing.planned_for).where(Hearing.planned_for.is_not(None))
        )
    )
    flags = Counter((kind, case_id, subject) for kind, case_id, subject, _ in _flags())
    assert [key for key, n in reviews.items() if n > 1] == []
    assert [key for key, n in flags.items() if n > 1] == []


# The nightly plan


def test_nightly_plan_books_each_active_cases_reviews_with_its_judge(team, judge):
    cases = [_case(team, judge) for _ in range(3)]
    closed = _case(team, judge, phase=Phase.CLOSED)
    no_judge = factories.make_case(team, entered_on=TRIAL_STARTS)

    result = jobs.extend_plans(TODAY)

    nlrs = _nlrs()
    assert result.failed == []
    assert {case_id for case_id, *_ in nlrs} == {case.id for case in cases}
    assert closed.id not in {n[0] for n in nlrs} and no_judge.id not in {n[0] for n in nlrs}
    assert {judge_id for *_, judge_id in nlrs} == {judge.id}
    # Every other Monday from the next one to the 12-week horizon, none in the past.
    assert sorted({planned for _, planned, *_ in nlrs}) == [
        date(2027, 3, 15),
        date(2027, 3, 29),
        date(2027, 4, 12),
        date(2027, 4, 26),
        date(2027, 5, 10),
        date(2027, 5, 24),
    ]
    assert result.changed == len(nlrs) == 18


def test_nightly_plan_run_twice_books_nothing_new(team, judge):
    for _ in range(3):
        _case(team, judge)
    jobs.extend_plans(TODAY)
    once = (_nlrs(), _flags())

    again = jobs.extend_plans(TODAY)

    assert again.changed == 0
    assert (_nlrs(), _flags()) == once
    _no_duplicates()


def test_nightly_plan_extends_as_the_days_go_by(team, judge):
    case = _case(team, judge)
    jobs.extend_plans(TODAY)
    booked = {planned for _, planned, *_ in _nlrs()}

    jobs.extend_plans(TODAY + timedelta(weeks=2))

    added = {planned for _, planned, *_ in _nlrs()} - booked
    assert added == {date(2027, 6, 7)}  # one more fortnight at the far end, nothing re-booked
    assert {case_id for case_id, *_ in _nlrs()} == {case.id}


def test_nightly_plan_reads_each_court_once(team, judge, monkeypatch):
    for _ in range(3):
        _case(team, judge)
    other_team = factories.make_team()
    other_judge = factories.make_user("judge", team=other_team)
    factories.make_sitting(other_team, other_judge)
    for _ in range(2):
        _case(other_team, other_judge)
    read = []
    real_court_for = planning.court_for
    monkeypatch.setattr(
        planning, "court_for", lambda team_id: read.append(team_id) or real_court_for(team_id)
    )

    jobs.extend_plans(TODAY)

    assert sorted(read) == sorted([team.id, other_team.id])
    assert len({case_id for case_id, *_ in _nlrs()}) == 5


# The daily flags


@pytest.mark.parametrize(
    ("next_review", "flagged"),
    [
        (None, True),
        (TODAY, False),
        (TODAY + timedelta(days=14), False),
        (TODAY + timedelta(days=15), True),
    ],
)
def test_case_without_a_review_in_the_next_14_days_is_flagged(team, judge, next_review, flagged):
    case = _case(team, judge)
    if next_review is not None:
        factories.add_hearing(case, next_review)

    jobs.raise_flags(TODAY)

    assert (("no_nlr_soon", case.id, "") in _open_flags()) is flagged


def test_no_review_flag_only_for_cases_in_the_trial_or_final_stage(team, judge):
    in_assessment = _case(team, judge, phase=Phase.ASSESSMENT)
    final_stage = _case(team, judge, phase=Phase.FINAL_STAGE)
    cancelled_review = _case(team, judge)
    factories.add_hearing(
        cancelled_review, TODAY + timedelta(days=5), status=HearingStatus.CANCELLED
    )

    jobs.raise_flags(TODAY)

    assert _open_flags() == {
        ("no_nlr_soon", final_stage.id, ""),
        ("no_nlr_soon", cancelled_review.id, ""),
    }
    assert in_assessment.id not in {case_id for _, case_id, _ in _open_flags()}


def test_no_review_flag_stops_once_the_reviews_have_ended_at_the_irh(team, judge):
    before_irh = _case(team, judge, phase=Phase.FINAL_STAGE)
    factories.add_hearing(before_irh, TODAY + timedelta(days=8), kind="irh")
    after_irh = _case(team, judge, phase=Phase.FINAL_STAGE)
    factories.add_hearing(
        after_irh, TODAY - timedelta(days=20), kind="irh", status=HearingStatus.HELD
    )
    irh_far_off = _case(team, judge, phase=Phase.FINAL_STAGE)
    factories.add_hearing(irh_far_off, TODAY + timedelta(days=40), kind="irh")

    jobs.raise_flags(TODAY)

    assert {case_id for kind, case_id, _ in _open_flags() if kind == "no_nlr_soon"} == {
        irh_far_off.id
    }


def test_no_review_flag_clears_when_a_review_is_booked_and_reopens_without_duplicating(team, judge):
    case = _case(team, judge)
    jobs.raise_flags(TODAY)
    assert _open_flags() == {("no_nlr_soon", case.id, "")}

    review = factories.add_hearing(case, TODAY + timedelta(days=12))
    jobs.raise_flags(TODAY)
    assert _open_flags() == set()

    review.status = HearingStatus.CANCELLED
    db.session.commit()
    jobs.raise_flags(TODAY)
    assert _open_flags() == {("no_nlr_soon", case.id, "")}
    assert len(_flags()) == 1  # the same flag, reopened


def test_past_hearing_without_an_outcome_is_flagged_until_recorded_or_cancelled(team, judge):
    case = _case(team, judge)
    factories.add_hearing(case, TODAY + timedelta(days=5))  # a review is coming: no other flag
    yesterday = factories.add_hearing(case, TODAY - timedelta(days=1), kind="fcmh")
    last_week = factories.add_hearing(case, TODAY - timedelta(days=7))
    factories.add_hearing(case, TODAY - timedelta(days=14), status=HearingStatus.HELD)
    factories.add_hearing(case, TODAY - timedelta(days=21), status=HearingStatus.CANCELLED)
    factories.add_hearing(case, TODAY, kind="directions", starts_at=time(14))

    jobs.raise_flags(TODAY)
    assert _open_flags() == {
        ("outcome_missing", case.id, f"hearing:{yesterday.id}"),
        ("outcome_missing", case.id, f"hearing:{last_week.id}"),
    }
    message = db.session.scalar(
        select(Flag.message).where(Flag.subject == f"hearing:{yesterday.id}")
    )
    assert message == "The FCMH on 2 March 2027 has no outcome recorded"

    yesterday.status = HearingStatus.HELD
    last_week.status = HearingStatus.CANCELLED
    db.session.commit()
    jobs.raise_flags(TODAY)
    assert _open_flags() == set()


@pytest.mark.parametrize(
    ("days_left", "flagged"), [(29, False), (28, True), (1, True), (0, True), (-1, False)]
)
def test_case_near_the_26_week_deadline_is_flagged(team, judge, days_left, flagged):
    deadline = TODAY + timedelta(days=days_left)
    case = _case(team, judge, issued_on=deadline - timedelta(weeks=26))
    factories.add_hearing(case, TODAY + timedelta(days=5))

    jobs.raise_flags(TODAY)

    assert _open_flags() == (
        {("deadline_near", case.id, deadline.isoformat())} if flagged else set()
    )


def test_deadline_flag_moves_with_an_extension(team, judge):
    deadline = TODAY + timedelta(days=10)
    case = _case(team, judge, issued_on=deadline - timedelta(weeks=26))
    factories.add_hearing(case, TODAY + timedelta(days=5))
    jobs.raise_flags(TODAY)
    assert _open_flags() == {("deadline_near", case.id, deadline.isoformat())}

    db.session.add(Extension(case_id=case.id, granted_on=TODAY, weeks=8, reason="Expert report"))
    db.session.commit()
    jobs.raise_flags(TODAY)

    assert _open_flags() == set()  # the deadline is now 8 weeks and 10 days away


def test_final_hearing_booked_past_the_deadline_is_flagged_until_an_extension_covers_it(
    team, judge
):
    deadline = TODAY + timedelta(weeks=10)
    case = _case(team, judge, issued_on=deadline - timedelta(weeks=26))
    factories.add_hearing(case, TODAY + timedelta(days=5))
    on_time = factories.add_hearing(case, deadline, kind="final_hearing")
    too_late = factories.add_hearing(case, deadline + timedelta(days=7), kind="final_hearing")

    jobs.raise_flags(TODAY)
    assert _open_flags() == {("final_past_deadline", case.id, f"hearing:{too_late.id}")}
    assert on_time.id != too_late.id

    db.session.add(Extension(case_id=case.id, granted_on=TODAY, weeks=2, reason="Final evidence"))
    db.session.commit()
    jobs.raise_flags(TODAY)
    assert _open_flags() == set()


def test_closing_a_case_clears_its_flags_but_not_what_a_person_must_see(team, judge):
    case = _case(team, judge)
    factories.add_hearing(case, TODAY - timedelta(days=2))
    moved = raise_flag(case, "hearing_moved", "hearing:99", "Moved for a closure day")
    db.session.commit()
    jobs.raise_flags(TODAY)
    assert {kind for kind, *_ in _open_flags()} == {
        "no_nlr_soon",
        "outcome_missing",
        "hearing_moved",
    }

    case.phase = Phase.CLOSED
    db.session.commit()
    jobs.raise_flags(TODAY)

    assert _open_flags() == {("hearing_moved", case.id, "hearing:99")}
    assert moved.is_open


def test_daily_flags_run_twice_change_nothing(team, judge):
    for n in range(3):
        case = _case(team, judge, issued_on=TODAY + timedelta(days=n) - timedelta(weeks=25))
        factories.add_hearing(case, TODAY - timedelta(days=1))
    first = jobs.raise_flags(TODAY)
    once = _flags()

    again = jobs.raise_flags(TODAY)

    assert first.changed == len(once) == 9  # three kinds of flag on each of three cases
    assert again.changed == 0
    assert _flags() == once


def test_daily_flags_ask_the_same_few_questions_however_many_cases(team, judge, app):
    def selects_for_a_run() -> int:
        statements = []

        def count(_conn, _cursor, statement, *_):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            jobs.raise_flags(TODAY)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return sum(1 for s in statements if s.lstrip().upper().startswith("SELECT"))

    def add_cases(n):
        for _ in range(n):
            case = _case(team, judge, issued_on=TODAY - timedelta(weeks=24))
            factories.add_hearing(case, TODAY - timedelta(days=1))
            factories.add_hearing(case, TODAY + timedelta(weeks=3), kind="final_hearing")

    add_cases(2)
    with_two = selects_for_a_run()
    add_cases(8)
    with_ten = selects_for_a_run()

    # The audit chain reads its last link once a commit (PostgreSQL also takes a lock): 8 + 2.
    assert with_ten == with_two <= 10
    assert len(_open_flags()) == 10 * 4


# Two schedulers at once


def _run_together(app, job, runs=2) -> list:
    """Start `runs` copies of the job at the same instant, each with its own session."""
    barrier = threading.Barrier(runs)
    results, errors = [], []

    def run():
        with app.app_context():
            try:
                barrier.wait(timeout=10)
                results.append(job(TODAY))
            except Exception as error:  # noqa: BLE001 (reported by the test below)
                errors.append(error)
            finally:
                db.session.remove()

    db.session.commit()
    threads = [threading.Thread(target=run) for _ in range(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert [r.failed for r in results] == [[]] * runs
    return results


def _another_run_first(app, job) -> tuple[list, list]:
    """Make another scheduler run the whole job between this run's reads and its first write:
    the race is certain, not left to timing. Returns the other run's (results, errors)."""
    results, errors = [], []

    def interloper(*_):
        def run():
            with app.app_context():
                try:
                    results.append(job(TODAY))
                except Exception as error:  # noqa: BLE001
                    errors.append(error)
                finally:
                    db.session.remove()

        thread = threading.Thread(target=run)
        thread.start()
        thread.join(timeout=120)

    event.listen(db.session(), "before_flush", interloper, once=True)
    return results, errors


def test_two_nightly_plans_at_once_book_each_review_once(app, team, judge):
    for _ in range(4):
        _case(team, judge)

    _run_together(app, jobs.extend_plans)

    _no_duplicates()
    assert len(_nlrs()) == 4 * 6
    assert jobs.extend_plans(TODAY).changed == 0


def test_nightly_plan_that_loses_the_race_retries_and_books_nothing_twice(app, team, judge):
    for _ in range(3):
        _case(team, judge)
    other, errors = _another_run_first(app, jobs.extend_plans)

    result = jobs.extend_plans(TODAY)

    assert errors == []
    assert [r.changed for r in other] == [3 * 6]
    assert result.failed == []
    assert result.changed == 0  # the other run booked everything first
    _no_duplicates()
    assert len(_nlrs()) == 3 * 6


def test_two_daily_flag_runs_at_once_raise_each_flag_once(app, team, judge):
    for n in range(4):
        case = _case(team, judge, issued_on=TODAY + timedelta(days=n) - timedelta(weeks=25))
        factories.add_hearing(case, TODAY - timedelta(days=1))

    _run_together(app, jobs.raise_flags)

    _no_duplicates()
    assert len(_open_flags()) == 4 * 3
    assert jobs.raise_flags(TODAY).changed == 0


def test_daily_flags_that_lose_the_race_retry_and_raise_nothing_twice(app, team, judge):
    for _ in range(3):
        case = _case(team, judge)
        factories.add_hearing(case, TODAY - timedelta(days=1))
    other, errors = _another_run_first(app, jobs.raise_flags)

    result = jobs.raise_flags(TODAY)

    assert errors == []
    assert [r.changed for r in other] == [3 * 2]
    assert result.failed == []
    assert result.changed == 0
    _no_duplicates()
    assert len(_open_flags()) == 3 * 2


# The schedule


def test_jobs_run_nightly_and_each_morning_london_time(app):
    from fdac.jobs import build_scheduler

    scheduler = build_scheduler(app)
    triggers = {job.id: str(job.trigger) for job in scheduler.get_jobs()}

    assert triggers == {
        "extend-hearing-plans": "cron[hour='2', minute='30']",
        "raise-flags": "cron[hour='6', minute='0']",
        "raise-contact-flags": "cron[hour='6', minute='15']",
        "raise-testing-flags": "cron[hour='6', minute='30']",
        "anonymise-closed-cases": "cron[hour='3', minute='30']",
    }
    assert str(scheduler.timezone) == "Europe/London"


def test_each_job_runs_for_todays_date_in_london(app, team, judge, monkeypatch):
    seen = []
    monkeypatch.setattr("fdac.jobs.london_today", lambda: TODAY)
    monkeypatch.setattr(jobs, "extend_plans", lambda today: seen.append(("plans", today)))
    monkeypatch.setattr(jobs, "raise_flags", lambda today: seen.append(("flags", today)))

    for job in JOBS:
        job.run()

    assert seen == [("plans", TODAY), ("flags", TODAY)]
