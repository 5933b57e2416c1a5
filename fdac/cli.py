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
from fdac.files import write_atomically
from fdac.reports.exports import SYSTEM_AUTHOR
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
@click.option("--serves", multiple=True, help="A laboratory: a team it serves (repeat for more).")
def create_user(
    email: str,
    name: str,
    role: str,
    team_name: str | None,
    password: str | None,
    serves: tuple[str, ...],
):
    """Create a user who can sign in (a laboratory: the teams it serves with --serves)."""
    from fdac.auth.models import User
    from fdac.auth.passwords import password_problem
    from fdac.teams.models import Team
    from fdac.users.services import save_user

    role_ = Role(role)
    team_id = None
    served: list[int] = []
    if role_.serves_teams:
        by_name = {t.name: t.id for t in db.session.scalars(select(Team))}
        unknown = [team for team in serves if team not in by_name]
        if not serves or unknown:
            _fail(f"--serves needs the teams this laboratory serves; teams: {', '.join(by_name)}")
        served = [by_name[team] for team in serves]
    elif serves:
        _fail("--serves is for a laboratory only")
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
    if problem := password_problem(password):
        _fail(problem)
    try:
        save_user(
            User(),
            name=name,
            email=email,
            role=role_,
            team_id=team_id,
            password=password,
            served_team_ids=served,
        )
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


def _date_option(value: str | None, option: str):
    from datetime import date

    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        _fail(f"{option} must be a real date, like 2027-03-03 (got {value!r})")


@fdac_cli.command("export-report")
@click.argument("case_ref")
@click.option("--from", "first_text", metavar="DATE", help="First day (YYYY-MM-DD); default: "
              "the day after the last review held, as the summary page does.")  # fmt: skip
@click.option("--to", "last_text", metavar="DATE", help="Last day (YYYY-MM-DD); default: today.")
@click.option("--format", "format_", required=True, type=click.Choice(["xlsx", "pdf"]))
@click.option("--anonymise", is_flag=True, help="Children as Child A, B; parents by their "
              "relationship; others by initials. Refused if a name would remain.")  # fmt: skip
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True),
              help="The file to write.")  # fmt: skip
@click.option("--author", default=SYSTEM_AUTHOR, show_default=True,
              help="Who the report says prepared it.")  # fmt: skip
def export_report(
    case_ref: str,
    first_text: str | None,
    last_text: str | None,
    format_: str,
    anonymise: bool,
    out: str,
    author: str,
) -> None:
    """Write a case's progress summary for a period to a file, as the summary page's Excel and
    PDF downloads do; audited like them (the actor is the command line). CASE_REF is the FDAC
    reference or the court case number."""

    from flask import current_app
    from sqlalchemy import or_

    from fdac.cases.models import Case
    from fdac.reports.anonymise import AnonymisationError
    from fdac.reports.exports import export_summary
    from fdac.reports.summary import default_period

    ref = case_ref.strip()
    case = db.session.scalar(
        select(Case).where(or_(Case.reference == ref, Case.court_case_number == ref.upper()))
    )
    if case is None:
        _fail(f"no case with the reference or case number {ref}")
    today = london_today()
    first, last = default_period(case, today)
    first = _date_option(first_text, "--from") or first
    last = _date_option(last_text, "--to") or last
    if last < first:
        _fail(
            f"--to ({last.isoformat()}) must be the same as or after --from ({first.isoformat()})"
        )
    # The report's templates are rendered as for a request (their links need one).
    with current_app.test_request_context():
        try:
            export = export_summary(
                case,
                first,
                last,
                today,
                format_,
                author=author,
                anonymise=anonymise,
                static_folder=current_app.static_folder,
            )
        except AnonymisationError as error:
            db.session.rollback()
            _fail(str(error))
        write_atomically(out, export.content)  # no half-written file if stopped
        db.session.commit()
    kind = "anonymised " if anonymise else ""
    click.echo(
        f"Wrote the {kind}{format_} summary of {case.reference} for {first.isoformat()} to "
        f"{last.isoformat()} to {out}."
    )


@fdac_cli.command("create-token")
@click.argument("email")
@click.option("--name", "label", required=True, help="What will use it, like 'Lab feed'.")
@click.option("--days", type=int, help="Lasts this many days; default: until revoked.")
def create_token(email: str, label: str, days: int | None) -> None:
    """Make an API token for the user with EMAIL and print it, once (only its hash is kept)."""
    from fdac.api.tokens import create_token as make
    from fdac.auth.models import User

    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None:
        _fail(f"no user with the email address {email}")
    try:
        made = make(user, label, days)
    except FieldError as error:
        _fail(error.message)
    db.session.commit()
    expiry = made.token.expires_at.date().isoformat() if made.token.expires_at else "never"
    click.echo(f"Token {made.token.prefix}… for {user.email} (expires: {expiry}):")
    click.echo(made.secret)
    click.echo("It is shown only now: keep it as secret as a password.", err=True)


@fdac_cli.command("revoke-token")
@click.argument("prefix_or_id")
def revoke_token(prefix_or_id: str) -> None:
    """Revoke a token, named by its id or the start of the token (as list-tokens shows)."""
    from fdac.api.tokens import find_by_prefix_or_id, revoke

    found = find_by_prefix_or_id(prefix_or_id)
    if not found:
        _fail(f"no token with the id or prefix {prefix_or_id}")
    if len(found) > 1:
        _fail(f"{len(found)} tokens start with {prefix_or_id}: give its id (see list-tokens)")
    token = found[0]
    if token.revoked_at is not None:
        _fail(f"token {token.prefix}… is already revoked")
    revoke(token, by=None)
    db.session.commit()
    click.echo(f"Revoked token {token.id} {token.prefix}… ({token.name}) of {token.user.email}.")


@fdac_cli.command("list-tokens")
@click.argument("email", required=False)
def list_tokens(email: str | None) -> None:
    """List the API tokens (of the user with EMAIL, when given), newest first."""
    from fdac.api.tokens import tokens_of
    from fdac.auth.models import User
    from fdac.dates import utc_now

    user = None
    if email:
        user = db.session.scalar(
            select(User).where(func.lower(User.email) == email.strip().lower())
        )
        if user is None:
            _fail(f"no user with the email address {email}")
    now = utc_now()
    found = tokens_of(user)
    if not found:
        click.echo("No tokens.")
    for token in found:
        used = token.last_used_at.date().isoformat() if token.last_used_at else "never"
        click.echo(
            f"{token.id:>5}  {token.prefix}…  {token.status(now):<8} {token.user.email:<34} "
            f"{token.name}  (last used: {used})"
        )


# Commands defined beside what they work on; importing them registers them.
from fdac import backup_commands  # noqa: E402, F401  backup, restore
from fdac.audit import commands as audit_commands  # noqa: E402, F401  audit-verify
from fdac.retention_jobs import anonymise_command  # noqa: E402  anonymise-closed-cases

fdac_cli.add_command(anonymise_command)
