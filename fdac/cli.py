"""`flask fdac ...`: commands for setting up and running a deployment.

Errors a person can fix print one line on stderr and exit with status 2.
"""

import sys

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from fdac import demo
from fdac.auth.roles import Role
from fdac.dates import london_today
from fdac.extensions import db
from fdac.validation import FieldError

fdac_cli = AppGroup("fdac", help="FDAC Manager commands.")


def _fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(2)


def _print_logins() -> None:
    click.echo(f"Demo sign-ins (password for all: {demo.DEMO_PASSWORD}):")
    for login in demo.demo_logins():
        click.echo(f"  {login.role.label.split(' (')[0]:<14} {login.email:<34} {login.name}")


@fdac_cli.command("demo-data")
@click.option("--if-empty", is_flag=True, help="Load only when the database has no team yet.")
def demo_data(if_empty: bool) -> None:
    """Load a synthetic FDAC team with families over every phase, then print the sign-ins."""
    if demo.has_data():
        if not if_empty:
            _fail("the database already has data; demo data goes into an empty database only")
    else:
        team = demo.load(today=london_today())
        click.echo(f"Loaded demo team {team.name}.")
    _print_logins()


@fdac_cli.command("create-team")
@click.argument("name")
@click.option("--court", "court_name", required=True, help="The family court the team serves.")
@click.option("--court-code", required=True, help="Two letters that start its case numbers.")
@click.option("--local-authorities", default="", help="Comma-separated local authorities served.")
def create_team(name: str, court_name: str, court_code: str, local_authorities: str) -> None:
    """Create an FDAC team and the court it serves."""
    from fdac.teams.models import Team

    code = court_code.strip().upper()
    if len(code) != 2 or not code.isalpha():
        _fail("--court-code must be two letters, like ZW")
    if db.session.scalar(select(func.count(Team.id)).where(Team.name == name)):
        _fail(f"a team called {name} already exists")
    db.session.add(
        Team(name=name, court_name=court_name, court_code=code, local_authorities=local_authorities)
    )
    db.session.commit()
    click.echo(f"Created team {name}.")


@fdac_cli.command("create-user")
@click.argument("email")
@click.option("--name", required=True, help="The person's full name.")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--team", "team_name", help="Team name; may be left out when there is one team.")
@click.option("--password", help="Prompted for (hidden) when not given.")
def create_user(email: str, name: str, role: str, team_name: str | None, password: str | None):
    """Create a user who can sign in."""
    from fdac.auth.forms import MIN_PASSWORD_LENGTH
    from fdac.auth.models import User
    from fdac.teams.models import Team
    from fdac.users.services import save_user

    role_ = Role(role)
    team_id = None
    if role_.needs_team:
        teams = db.session.scalars(select(Team).order_by(Team.name)).all()
        if team_name:
            match = [t for t in teams if t.name == team_name]
            if not match:
                _fail(f"no team called {team_name}; teams: {', '.join(t.name for t in teams)}")
            team_id = match[0].id
        elif len(teams) == 1:
            team_id = teams[0].id
        else:
            _fail(
                "--team is needed: " + (", ".join(t.name for t in teams) or "create a team first")
            )
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < MIN_PASSWORD_LENGTH:
        _fail(f"the password must be {MIN_PASSWORD_LENGTH} characters or more")
    try:
        save_user(User(), name=name, email=email, role=role_, team_id=team_id, password=password)
    except FieldError as error:
        _fail(error.message)
    click.echo(f"Created {role_.label.split(' (')[0].lower()} {email}.")


@fdac_cli.command("scheduler")
def scheduler() -> None:
    """Run the scheduled jobs in this process until stopped (Ctrl+C)."""
    from flask import current_app

    from fdac.jobs import JOBS, build_scheduler

    click.echo(f"Scheduler started with {len(JOBS)} job(s); times are Europe/London.")
    try:
        build_scheduler(current_app._get_current_object()).start()
    except (KeyboardInterrupt, SystemExit):
        click.echo("Scheduler stopped.")


@fdac_cli.command("run-job")
@click.argument("job_id")
def run_job(job_id: str) -> None:
    """Run one scheduled job once, now (say, after downtime): JOB_ID as `scheduler` names it."""
    from fdac.jobs import JOBS

    jobs = {job.id: job for job in JOBS}
    if job_id not in jobs:
        _fail(f"no job called {job_id}; jobs: {', '.join(jobs)}")
    jobs[job_id].run()
    click.echo(f"Ran {job_id}.")
