"""Several writer processes at once on one database: no "database is locked", nothing lost.

Each writer is its own process with its own app (as two web workers and a command are), and
each write is a real service call that reads before it writes: on SQLite that is the lock
upgrade that fails at once unless the transaction began IMMEDIATE (fdac/database.py)."""

import contextvars
import multiprocessing
import queue
import sqlite3

import pytest
from sqlalchemy import func, select, text

from fdac.audit.models import AuditEvent
from fdac.contacts.models import Contact
from fdac.extensions import db
from tests import factories
from tests.conftest import _database_url
from tests.faults import workers

WRITERS = 4
CONTACTS_EACH = 40


def test_writer_processes_at_once_lose_nothing_and_never_find_the_database_locked(team):
    case = factories.make_case(team)
    parent = factories.add_parent(case)
    user = factories.make_user("practitioner", team=team)
    case_id, ids = case.id, (case.id, parent.id, user.id)
    db.session.commit()
    db.session.remove()  # the test holds no transaction while the writers run

    spawn = multiprocessing.get_context("spawn")
    start, results = spawn.Event(), spawn.Queue()
    processes = [
        spawn.Process(
            target=workers.record_contacts,
            args=(_database_url(), *ids, CONTACTS_EACH, n, start, results),
        )
        for n in range(WRITERS)
    ]
    for process in processes:
        process.start()
    start.set()
    reports = []
    try:
        for _ in processes:
            reports.append(results.get(timeout=120))
    except queue.Empty:
        pytest.fail(f"only {len(reports)} of {WRITERS} writers finished: {reports}")
    finally:
        for process in processes:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
                process.join()

    assert [error for _, _, error in reports if error] == []
    written = sum(count for _, count, _ in reports)
    assert written == WRITERS * CONTACTS_EACH
    stored = db.session.scalar(select(func.count(Contact.id)).where(Contact.case_id == case_id))
    assert stored == written
    audited = db.session.scalar(
        select(func.count(AuditEvent.id)).where(
            AuditEvent.table_name == "contacts", AuditEvent.action == "insert"
        )
    )
    assert audited == written


# ------------------------------------------------ SQLite: which transactions take the lock

sqlite_only = pytest.mark.skipif(
    not _database_url().startswith("sqlite"), reason="SQLite's transaction modes"
)


def _other_writer_is_refused() -> bool:
    """Whether a second connection, not waiting at all, is refused the write lock now."""
    other = sqlite3.connect(db.engine.url.database, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as error:
        assert "locked" in str(error)
        return True
    finally:
        other.close()


@sqlite_only
def test_a_form_post_takes_the_write_lock_with_its_first_read(app):
    with app.test_request_context(method="POST"), db.engine.connect() as conn:
        conn.execute(text("SELECT 1"))
        assert _other_writer_is_refused()
        conn.rollback()
        assert not _other_writer_is_refused()


@sqlite_only
def test_a_command_reads_holding_no_lock_and_its_first_write_takes_it(app):
    def command():  # no request: a command, a scheduled job, a script
        with app.app_context(), db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            assert not _other_writer_is_refused()  # a read on its own holds nothing
            conn.execute(text("DELETE FROM contacts WHERE id = -1"))
            assert _other_writer_is_refused()
            conn.rollback()
            assert not _other_writer_is_refused()

    contextvars.Context().run(command)  # outside the test's own request context


@sqlite_only
def test_a_page_read_takes_no_lock_but_its_first_write_does(app):
    with app.test_request_context(method="GET"):
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            assert not _other_writer_is_refused()
        with db.engine.connect() as conn:
            conn.execute(text("DELETE FROM contacts WHERE id = -1"))
            assert _other_writer_is_refused()


@sqlite_only
def test_a_pragma_runs_outside_the_transaction(app):
    """migrations/env.py turns foreign keys off before migrating: only possible outside a
    transaction, so the BEGIN waits for the first statement that is not a PRAGMA."""
    with app.app_context(), db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 0
        assert not _other_writer_is_refused()
        conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        conn.commit()
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 15000
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
