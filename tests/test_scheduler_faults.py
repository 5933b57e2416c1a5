"""The scheduler runs each job exactly once a day, and what the jobs make exists exactly once:
across both changes of the clocks, with two schedulers started at once (two processes), and
after a scheduler is killed in the middle of a job and started again. On SQLite and on
PostgreSQL (whichever the suite runs on).

tests/hearings/test_jobs.py races two runs in threads with certainty; here they are real
processes, as two servers each starting `flask fdac scheduler` would be.
"""

import os
import signal
import subprocess
import sys
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from fdac.dates import LONDON, london_today
from fdac.extensions import db
from fdac.flags.models import Flag
from fdac.jobs import JOBS, build_scheduler
from hearings.kinds import HearingKind
from hearings.models import Hearing
from tests import factories

ROOT = Path(__file__).parents[1]
# The weeks the clocks change in: 01:00-02:00 is skipped in March and happens twice in October.
CLOCK_CHANGES = [
    (date(2026, 3, 27), date(2026, 3, 31)),
    (date(2026, 10, 23), date(2026, 10, 27)),
    (date(2027, 3, 26), date(2027, 3, 30)),
    (date(2027, 10, 29), date(2027, 11, 2)),
]
WAKE_UP = timedelta(seconds=1)  # a scheduler looks for the next run as soon as one starts


def _fire_times(trigger, first: date, last: date) -> list[datetime]:
    """When the scheduler would run a job from `first` to `last`, asked as APScheduler asks
    after each run (the previous run time, and now). Bounded: a trigger that keeps answering
    the same time would otherwise loop here as it would in the scheduler."""
    times: list[datetime] = []
    now = datetime.combine(first, datetime.min.time(), tzinfo=LONDON)
    previous = None
    for _ in range(50):
        upcoming = trigger.get_next_fire_time(previous, now)
        if upcoming.astimezone(LONDON).date() > last:
            return times
        times.append(upcoming)
        previous, now = upcoming, upcoming + WAKE_UP
    raise AssertionError(f"the trigger keeps firing: {times[-3:]}")


@pytest.mark.parametrize(("first", "last"), CLOCK_CHANGES)
def test_every_job_runs_once_a_day_across_a_change_of_the_clocks(app, first, last):
    scheduler = build_scheduler(app)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    for job in JOBS:
        times = _fire_times(scheduler.get_job(job.id).trigger, first, last)
        assert [t.astimezone(LONDON).date() for t in times] == days, job.id
        assert times == sorted(set(times)), job.id


# ----------------------------------------------------------------------------- the world


def _world(team, cases: int, today: date) -> None:
    """Cases in the trial with a judge who sits on Mondays; each has a past hearing without an
    outcome (a flag) and no review booked (the nightly plan books them)."""
    judge = factories.make_user("judge", team=team)
    factories.make_sitting(team, judge, slots=cases + 2)
    for _ in range(cases):
        case = factories.make_case(
            team,
            judge_id=judge.id,
            entered_on=today - timedelta(weeks=6),
            issued_on=today - timedelta(weeks=5),
        )
        factories.add_hearing(case, today - timedelta(days=2))
    db.session.commit()


def _reviews() -> Counter:
    return Counter(
        db.session.execute(
            select(Hearing.case_id, Hearing.planned_for).where(
                Hearing.kind == HearingKind.NLR, Hearing.planned_for.is_not(None)
            )
        ).all()
    )


def _flags() -> Counter:
    return Counter(db.session.execute(select(Flag.kind, Flag.case_id, Flag.subject)).all())


def _exactly_once() -> tuple[int, int]:
    db.session.rollback()  # a fresh snapshot: see what the other processes committed
    reviews, flags = _reviews(), _flags()
    assert [key for key, n in reviews.items() if n > 1] == []
    assert [key for key, n in flags.items() if n > 1] == []
    return len(reviews), len(flags)


@pytest.mark.parametrize(("first", "last"), CLOCK_CHANGES[:2])
def test_what_the_jobs_make_exists_once_across_a_change_of_the_clocks(
    app, team, monkeypatch, first, last
):
    _world(team, 3, first)
    scheduler = build_scheduler(app)
    runs = sorted(
        (moment, job)
        for job in JOBS
        for moment in _fire_times(scheduler.get_job(job.id).trigger, first, last)
    )
    for moment, job in runs:  # as the scheduler would, each on its own London day
        day = moment.astimezone(LONDON).date()
        monkeypatch.setattr("fdac.jobs.london_today", lambda day=day: day)
        job.run()

    reviews, flags = _exactly_once()
    assert reviews >= 3 * 5 and flags >= 3
    assert len(runs) == len(JOBS) * ((last - first).days + 1)


# ----------------------------------------------------------------------- real processes


def _env() -> dict:
    return {
        **os.environ,
        "FLASK_APP": "fdac",
        "DATABASE_URL": db.engine.url.render_as_string(hide_password=False),
        "SECRET_KEY": "scheduler-faults",
    }


def _flask(*args: str) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - our own command
        [sys.executable, "-m", "flask", "fdac", *args],
        cwd=ROOT,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


# A scheduler process: boots, says so, and on "go" runs every job in the table, as a scheduler
# does when their times come (the jobs' own dates are London's today).
_SCHEDULER = """
import sys
from fdac import create_app
from fdac.jobs import JOBS

app = create_app()
with app.app_context():
    print("ready", flush=True)
    sys.stdin.readline()
    for job in JOBS:
        job.run()
print("done", flush=True)
"""


def _python(script: str, **pipes) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - our own code
        [sys.executable, "-c", script], cwd=ROOT, env=_env(), text=True, **pipes
    )


def test_two_schedulers_started_at_once_make_everything_once(app, team):
    _world(team, 6, london_today())
    pair = [_python(_SCHEDULER, stdin=subprocess.PIPE, stdout=subprocess.PIPE) for _ in range(2)]
    try:
        for scheduler in pair:  # both booted before either starts: the runs overlap
            assert scheduler.stdout.readline().strip() == "ready"
        for scheduler in pair:
            scheduler.stdin.write("go\n")
            scheduler.stdin.flush()
        outputs = [scheduler.communicate(timeout=120)[0] for scheduler in pair]
    finally:
        for scheduler in pair:
            scheduler.kill()
            scheduler.wait(timeout=30)
    assert [s.returncode for s in pair] == [0, 0], outputs
    assert [o.strip() for o in outputs] == ["done", "done"]

    reviews, flags = _exactly_once()
    assert reviews >= 6 * 5 and flags >= 6
    # Once more, alone: there is nothing left to make.
    single = _flask("run-job", "extend-hearing-plans")
    single.communicate(timeout=120)
    assert _exactly_once() == (reviews, flags)


# The child: the nightly plan, pausing after each case's commit so that it can be killed
# part-way with certainty. It says when each case is committed.
_SLOW_PLAN = """
import time
from fdac import create_app
from fdac.jobs import JOBS
from hearings import jobs as hearing_jobs

original = hearing_jobs.commit_with_retry

def slowly(work, what):
    changed = original(work, what)
    print("committed", flush=True)
    time.sleep(0.5)
    return changed

hearing_jobs.commit_with_retry = slowly
app = create_app()
with app.app_context():
    {job.id: job for job in JOBS}["extend-hearing-plans"].run()
"""


def _booked_cases() -> int:
    db.session.rollback()  # a fresh snapshot: see what the other processes committed
    return db.session.scalar(
        select(func.count(func.distinct(Hearing.case_id))).where(
            Hearing.kind == HearingKind.NLR, Hearing.planned_for.is_not(None)
        )
    )


def test_a_scheduler_killed_mid_job_and_started_again_makes_everything_once(app, team):
    cases = 6
    _world(team, cases, london_today())
    child = _python(_SLOW_PLAN, stdout=subprocess.PIPE)
    try:
        for _ in range(2):  # two cases committed, the third under way
            assert child.stdout.readline().strip() == "committed"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        child.stdout.close()

    part_way = _booked_cases()
    assert 2 <= part_way < cases  # killed part-way: some cases planned, not all
    _exactly_once()

    restarted = _flask("run-job", "extend-hearing-plans")
    output = restarted.communicate(timeout=120)[0]
    assert restarted.returncode == 0, output

    assert _booked_cases() == cases, output
    _exactly_once()
