from sqlalchemy import func, select

from fdac.auth.models import User
from fdac.auth.roles import Role
from fdac.cases.models import Case
from fdac.cases.phases import Phase
from fdac.extensions import db
from fdac.teams.models import Team
from tests import factories


def _run(app, *args, input=None):
    return app.test_cli_runner().invoke(args=["fdac", *args], input=input)


def test_demo_data_loads_a_team_over_every_phase_and_prints_the_logins(app):
    result = _run(app, "demo-data")
    assert result.exit_code == 0, result.output
    assert "manager@demo.fdac.example" in result.output
    phases = set(db.session.scalars(select(Case.phase)))
    assert phases == set(Phase)
    assert 12 <= db.session.scalar(select(func.count(Case.id))) <= 20
    roles = set(db.session.scalars(select(User.role)))
    assert roles == set(Role)


def test_demo_data_if_empty_reuses_what_is_there(app):
    _run(app, "demo-data")
    again = _run(app, "demo-data", "--if-empty")
    assert again.exit_code == 0
    assert "Demo sign-ins" in again.output
    assert db.session.scalar(select(func.count(Team.id))) == 1
    refused = _run(app, "demo-data")
    assert refused.exit_code == 2 and "already has data" in refused.output


def test_create_user_with_the_only_team_and_a_prompted_password(app, team):
    result = _run(
        app,
        "create-user",
        "Sam@Example.org",
        "--name",
        "Sam Keyworker",
        "--role",
        "practitioner",
        input="a long enough secret\na long enough secret\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "sam@example.org"))
    assert user.team_id == team.id and user.check_password("a long enough secret")


def test_create_user_refuses_a_short_password_and_an_unknown_team(app, team):
    factories.make_team("Second team")
    short = _run(
        app,
        "create-user",
        "a@example.org",
        "--name",
        "A",
        "--role",
        "judge",
        "--team",
        team.name,
        "--password",
        "short",
    )
    assert short.exit_code == 2 and "12 characters" in short.output
    unknown = _run(
        app,
        "create-user",
        "a@example.org",
        "--name",
        "A",
        "--role",
        "judge",
        "--team",
        "Nowhere",
        "--password",
        "a long enough secret",
    )
    assert unknown.exit_code == 2 and "no team called Nowhere" in unknown.output
    ambiguous = _run(
        app,
        "create-user",
        "a@example.org",
        "--name",
        "A",
        "--role",
        "judge",
        "--password",
        "a long enough secret",
    )
    assert ambiguous.exit_code == 2 and "--team is needed" in ambiguous.output


def test_create_team(app):
    result = _run(
        app,
        "create-team",
        "Northern FDAC",
        "--court",
        "Northern Family Court",
        "--court-code",
        "nf",
    )
    assert result.exit_code == 0
    team = db.session.scalar(select(Team))
    assert (team.name, team.court_code) == ("Northern FDAC", "NF")


def test_scheduler_runs_each_job_in_the_app_context(app):
    from flask import current_app

    from fdac.jobs import ScheduledJob, build_scheduler

    ran = []
    job = ScheduledJob("probe", lambda: ran.append(current_app.name), "interval", {"hours": 1})
    scheduler = build_scheduler(app, [job])
    (scheduled,) = scheduler.get_jobs()
    scheduled.func()
    assert ran == [app.name]
    assert str(scheduler.timezone) == "Europe/London"


def test_run_job_runs_one_scheduled_job_now(app, team):
    from datetime import date

    from fdac.flags.models import Flag

    judge = factories.make_user("judge", team=team)
    case = factories.make_case(team, judge_id=judge.id, entered_on=date(2020, 1, 6))

    result = _run(app, "run-job", "raise-flags")

    assert result.exit_code == 0, result.output
    assert result.output == "Ran raise-flags.\n"
    flag = db.session.scalar(select(Flag))
    assert (flag.kind, flag.case_id) == ("no_nlr_soon", case.id)


def test_run_job_names_the_jobs_when_given_an_unknown_one(app):
    result = _run(app, "run-job", "tidy-up")
    assert result.exit_code == 2
    assert "no job called tidy-up; jobs: extend-hearing-plans, raise-flags" in result.output


def test_the_scheduler_process_runs_the_real_jobs_when_they_fall_due(app, team):
    """APScheduler itself fires the day's jobs (brought forward to now): reviews get booked and
    flags raised by the same scheduler `flask fdac scheduler` starts."""
    import threading
    import time
    from datetime import timedelta

    from fdac.dates import LONDON, london_today, utc_now
    from fdac.flags.models import Flag
    from fdac.jobs import build_scheduler
    from hearings.models import Hearing

    judge = factories.make_user("judge", team=team)
    factories.make_sitting(team, judge)
    planned = factories.make_case(team, judge_id=judge.id, entered_on=london_today())
    no_judge = factories.make_case(team, entered_on=london_today())  # no reviews can be booked
    db.session.commit()

    def seen():
        db.session.rollback()  # read what the scheduler's own sessions committed
        booked = db.session.scalars(select(Hearing).where(Hearing.case_id == planned.id)).all()
        flags = db.session.scalars(select(Flag).where(Flag.case_id == no_judge.id)).all()
        return booked, flags

    scheduler = build_scheduler(app)
    now = utc_now().astimezone(LONDON)
    scheduler.modify_job("extend-hearing-plans", next_run_time=now)
    scheduler.modify_job("raise-flags", next_run_time=now + timedelta(milliseconds=500))
    runner = threading.Thread(target=scheduler.start, daemon=True)
    runner.start()
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not all(seen()):
            time.sleep(0.1)
    finally:
        scheduler.shutdown(wait=True)
        runner.join(timeout=10)

    booked, flags = seen()
    assert booked and all(h.judge_id == judge.id for h in booked)
    assert [f.kind for f in flags] == ["no_nlr_soon"]
