"""The retention job: anonymise each closed case whose retention period has ended.

The rules (which cases, what each field becomes) are fdac.retention's; this reads the cases,
writes the changes and records them, one case a commit (fdac.job_runs), as the scheduler's
other jobs do.

Written with Core UPDATEs, not through the ORM, on purpose (docs/decisions/0035):
- the audit hook (fdac.audit.recorder) would copy every name, date of birth and note it
  removes into the trail as the "before" of an update: anonymising would make one more copy
  of exactly what it removes, in the one table that can never be changed. Instead one audit row
  per case (through fdac.audit.events.record) says what was done: which fields of which
  tables, how many rows, the period and the day, never a value;
- an issued court document is frozen by a before_flush hook (fdac.court_documents.models)
  against any change through the session. The end of retention is the one change the record
  itself must allow, and this job is the only code that makes it; its words go, its dates,
  kind, status and the staff who wrote and issued it stay.

Idempotent: a case is claimed by setting its `anonymised_on` where it is still empty, in the
case's own transaction, before anything else is written. A second run, or a second scheduler
at the same moment, finds it set (on SQLite the claim waits for the other's write lock, on
PostgreSQL for its row lock) and changes nothing.
"""

import logging
import sys
from datetime import date

import click
from flask import current_app
from sqlalchemy import Table, select, update

from fdac import retention
from fdac.audit import events
from fdac.cases.people import Relationship
from fdac.cases.phases import Phase
from fdac.dates import london_today
from fdac.extensions import db
from fdac.job_runs import JobResult, commit_with_retry, tally
from fdac.retention import Rule

log = logging.getLogger(__name__)

ANONYMISE = "anonymise"  # the audit row's action


def retention_years() -> int:
    """The configured period (FDAC_RETENTION_YEARS), at least 1."""
    years = int(current_app.config.get("FDAC_RETENTION_YEARS", retention.DEFAULT_YEARS))
    if years < 1:
        raise ValueError("FDAC_RETENTION_YEARS must be at least 1")
    return years


def _table(name: str) -> Table:
    return db.metadata.tables[name]


def case_states() -> list[retention.CaseState]:
    """Every closed case not yet anonymised, with the day it closed."""
    cases, moves = _table("cases"), _table("phase_changes")
    rows = db.session.execute(
        select(cases.c.id, cases.c.phase, cases.c.anonymised_on).where(
            cases.c.phase == Phase.CLOSED, cases.c.anonymised_on.is_(None)
        )
    ).all()
    if not rows:
        return []
    closes: dict[int, list[tuple[str, date]]] = {}
    for case_id, to_phase, day in db.session.execute(
        select(moves.c.case_id, moves.c.to_phase, moves.c.changed_on).where(
            moves.c.to_phase == Phase.CLOSED, moves.c.case_id.in_([r.id for r in rows])
        )
    ):
        closes.setdefault(case_id, []).append((to_phase, day))
    return [
        retention.CaseState(r.id, r.phase, retention.closed_on(closes.get(r.id, [])), None)
        for r in rows
    ]


def due_cases(today: date, years: int) -> list[int]:
    return retention.due(case_states(), today, years)


def _claim(case_id: int, today: date) -> bool:
    """Mark the case anonymised today, if no run has: the transaction's first write."""
    cases = _table("cases")
    claimed = db.session.execute(
        update(cases)
        .where(
            cases.c.id == case_id,
            cases.c.phase == Phase.CLOSED,
            cases.c.anonymised_on.is_(None),
        )
        .values(anonymised_on=today)
    )
    return claimed.rowcount == 1


def _people(table_name: str, case_id: int, stand_ins, reduce) -> int:
    """Names to stand-ins and dates of birth reduced, for a case's parents or children."""
    table = _table(table_name)
    rows = db.session.execute(
        select(table).where(table.c.case_id == case_id).order_by(table.c.id)
    ).all()
    names = stand_ins(rows)
    for row, name in zip(rows, names, strict=True):
        db.session.execute(
            update(table)
            .where(table.c.id == row.id)
            .values(name=name, date_of_birth=reduce(row.date_of_birth))
        )
    return len(rows)


def _parent_names(rows) -> list[str]:
    return retention.parent_stand_ins(
        [Relationship(row.relationship_to_children).label for row in rows]
    )


def _child_names(rows) -> list[str]:
    return retention.child_stand_ins([row.date_of_birth for row in rows])


def _plain_fields(table_name: str, case_id: int, rules: dict[str, Rule]) -> int:
    """Free text removed and identifiers forgotten: one UPDATE for the case's rows."""
    table = _table(table_name)
    values = {}
    for column, rule in rules.items():
        if rule is Rule.REMOVE:
            values[column] = retention.REMOVED
        elif rule is Rule.FORGET:
            values[column] = None
    if not values:
        return 0
    return db.session.execute(
        update(table).where(table.c.case_id == case_id).values(**values)
    ).rowcount


def _frozen(case_id: int) -> int:
    """Issued versions: the frozen summary replaced, the court's number out of the header."""
    versions = _table("court_document_versions")
    rows = db.session.execute(
        select(versions.c.id, versions.c.frozen_header).where(
            versions.c.case_id == case_id,
            (versions.c.frozen_summary.is_not(None)) | (versions.c.frozen_header.is_not(None)),
        )
    ).all()
    for row in rows:
        db.session.execute(
            update(versions)
            .where(versions.c.id == row.id)
            .values(
                frozen_summary=retention.FROZEN_SUMMARY_REMOVED,
                frozen_header=retention.header_without_number(row.frozen_header, case_id),
            )
        )
    return len(rows)


def anonymise_case(case_id: int, today: date, years: int) -> int:
    """Anonymise one case and add its audit row, in the session's transaction (the caller
    commits). Returns the rows changed; 0 when the case was not there to claim (another run
    did it, or it was reopened)."""
    if not _claim(case_id, today):
        return 0
    cases = _table("cases")
    db.session.execute(
        update(cases)
        .where(cases.c.id == case_id)
        .values(court_case_number=retention.case_number_stand_in(case_id))
    )
    rows = {
        "cases": 1,
        "parents": _people("parents", case_id, _parent_names, retention.birth_year),
        "children": _people("children", case_id, _child_names, retention.birth_month),
    }
    for table_name, rules in retention.FIELDS.items():
        if table_name in rows:
            continue
        rows[table_name] = _plain_fields(table_name, case_id, rules)
    rows["court_document_versions"] = max(rows["court_document_versions"], _frozen(case_id))
    moves = _table("phase_changes")
    closed = retention.closed_on(
        db.session.execute(
            select(moves.c.to_phase, moves.c.changed_on).where(
                moves.c.case_id == case_id, moves.c.to_phase == Phase.CLOSED
            )
        ).all()
    )
    # What was done, never a value: the fields by table, the rows touched, the period.
    events.record(
        ANONYMISE,
        "cases",
        case_id,
        case_id,
        {
            "anonymised_on": today.isoformat(),
            "closed_on": closed.isoformat() if closed else None,
            "retention_years": years,
            "fields": {table: sorted(rules) for table, rules in retention.FIELDS.items()},
            "rows": {table: n for table, n in sorted(rows.items()) if n},
        },
    )
    return sum(rows.values())


def anonymise_due_cases(today: date, years: int | None = None) -> JobResult:
    """The job: every closed case past its retention period anonymised, one a commit."""
    years = years or retention_years()
    return tally(
        due_cases(today, years),
        lambda case_id: commit_with_retry(
            lambda: anonymise_case(case_id, today, years), f"anonymising case {case_id}"
        ),
        "Anonymised closed cases past their retention period",
    )


def run_retention() -> None:
    """The scheduled job's entry (fdac.jobs.JOBS)."""
    anonymise_due_cases(london_today())


@click.command("anonymise-closed-cases")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Count the retention period to this day (default: today in London).",
)
@click.option("--dry-run", is_flag=True, help="List the cases due; change nothing.")
def anonymise_command(today, dry_run: bool) -> None:
    """Anonymise every closed case whose retention period (FDAC_RETENTION_YEARS after it
    closed) has ended, keeping its figures; each is recorded in the audit trail."""
    day = today.date() if today else london_today()
    try:
        years = retention_years()
    except ValueError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(2)
    if dry_run:
        due = due_cases(day, years)
        references = db.session.scalars(
            select(_table("cases").c.reference)
            .where(_table("cases").c.id.in_(due))
            .order_by(_table("cases").c.id)
        ).all()
        click.echo(f"{len(due)} closed cases due for anonymisation ({years} years after closing).")
        for reference in references:
            click.echo(reference)
        return
    result = anonymise_due_cases(day, years)
    click.echo(f"Anonymised {result.done} closed cases ({years} years after closing).")
    if result.failed:
        click.echo(f"Error: gave up on {len(result.failed)} cases: see the log", err=True)
        sys.exit(1)
