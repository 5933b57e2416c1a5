"""What the fault tests run in child processes (spawned: a fresh interpreter, its own app and
connections, as a second web worker or a command would have)."""

import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

HANG_SECONDS = 120


def make_app(url: str):
    from fdac import create_app

    config = {"TESTING": True, "SECRET_KEY": "fault-tests", "SQLALCHEMY_DATABASE_URI": url}
    return create_app(config)


def record_contacts(url: str, case_id: int, parent_id: int, user_id: int, count: int, worker: int,
                    start, results) -> None:  # fmt: skip
    """Record `count` contacts through the contacts service, each its own transaction that
    reads (the case, its parents, the team's practitioners) before it writes."""
    from fdac.auth.models import User
    from fdac.cases.models import Case
    from fdac.contacts.kinds import ContactKind, ContactOutcome
    from fdac.contacts.services import ContactEntry, record
    from fdac.extensions import db

    try:
        app = make_app(url)
        with app.app_context():
            start.wait(timeout=60)  # every writer starts at once
            for i in range(count):
                case = db.session.get(Case, case_id)
                user = db.session.get(User, user_id)
                entry = ContactEntry(
                    parent_id=parent_id,
                    day=date(2026, 6, 1) + timedelta(days=i % 100),
                    at_time=clock(9 + worker % 8, i % 60),
                    practitioner_ids=(user_id,),
                    kind=ContactKind.HOME_VISIT,
                    minutes=30,
                    outcome=ContactOutcome.ATTENDED,
                    note=f"writer {worker}, contact {i}",
                )
                record(case, entry, by=user, now=datetime(2026, 11, 1, tzinfo=UTC))
                db.session.remove()
            db.engine.dispose()
        results.put((worker, count, None))
    except BaseException as error:  # noqa: BLE001  (reported to the test, which fails on it)
        results.put((worker, 0, f"{type(error).__name__}: {error}"))


def import_lab_file(url: str, path: str, user_id: int, marker: str) -> None:
    """Import the lab file at `path` as `user_id`, and stop for good once every result row is
    inserted (not committed): `marker` then holds how many results this transaction sees."""
    from sqlalchemy import func, select

    from fdac.auth.models import User
    from fdac.extensions import db
    from testing_results import importer
    from testing_results.models import TestResult

    def hang_before_the_audit_rows(*_args, **_kwargs):
        seen = db.session.scalar(select(func.count(TestResult.id)))
        Path(marker).write_text(str(seen))
        time.sleep(HANG_SECONDS)  # the test kills us here

    app = make_app(url)
    with app.app_context():
        importer.audit_inserts = hang_before_the_audit_rows
        user = db.session.get(User, user_id)
        data = Path(path).read_bytes()
        importer.import_file(data, "big.csv", user=user, today=date(2026, 11, 22))


class _HangingFile:
    """A binary file that writes its first `limit` bytes, then touches `marker` and hangs."""

    def __init__(self, out, limit: int, marker: str):
        self._out, self._limit, self._marker, self._written = out, limit, marker, 0

    def write(self, data) -> int:
        if self._written + len(data) > self._limit:
            self._out.write(data[: max(0, self._limit - self._written)])
            self._out.flush()
            Path(self._marker).touch()
            time.sleep(HANG_SECONDS)  # the test kills us here
        self._written += len(data)
        return self._out.write(data)

    def __getattr__(self, name):
        return getattr(self._out, name)


def export_programme(url: str, team_id: int, year: int, destination: str, marker: str) -> None:
    """Export the team's year to `destination`; hang once 4 KB of the workbook are written."""
    from fdac.extensions import db
    from fdac.reports import programme
    from fdac.teams.models import Team

    original = programme.write_programme

    def write_slowly(out, **kwargs):
        return original(_HangingFile(out, 4096, marker), **kwargs)

    app = make_app(url)
    with app.app_context():
        programme.write_programme = write_slowly
        programme.export_to(
            Path(destination),
            team=db.session.get(Team, team_id),
            year=year,
            today=date(2026, 11, 22),
            author="Fault Test",
            generated_at=datetime(2026, 11, 22, 12, tzinfo=UTC),
        )
