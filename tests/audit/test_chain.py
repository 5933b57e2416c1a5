"""Every writer of the audit trail chains its rows: each carries the hash of the one before."""

import importlib.util
import threading
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from fdac.audit import chain, events, exports
from fdac.audit.bulk import audit_inserts, insert_rows
from fdac.audit.models import AuditEvent
from fdac.audit.verify import verify
from fdac.cases.models import Child
from fdac.extensions import db
from tests import factories

MIGRATION = Path(__file__).parents[2] / "migrations" / "versions" / "0007_audit_chain.py"


def _trail() -> list[AuditEvent]:
    db.session.expire_all()
    return db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()


def _assert_chained(rows: list[AuditEvent]) -> None:
    previous = chain.GENESIS
    for row in rows:
        assert row.prev_hash == previous
        assert row.hash == chain.row_hash(previous, row)
        previous = row.hash


def _intact() -> bool:
    db.session.commit()
    with db.engine.connect() as conn:
        return verify(conn).ok


def test_changes_recorded_by_the_session_hook_are_chained_from_the_first(team):
    case = factories.make_case(team)
    parent = factories.add_parent(case)
    parent.name = "Kelly Ashworth-Reid"
    db.session.commit()
    rows = _trail()
    assert rows[0].prev_hash == chain.GENESIS
    assert len(rows) >= 4  # team, case, phase change, parent, the update
    _assert_chained(rows)


def test_hand_written_rows_are_chained_even_several_in_one_flush(team):
    case = factories.make_case(team)
    exports.record_export(case, "xlsx", date(2026, 6, 1), date(2026, 11, 1), anonymised=False)
    events.record("sign_in", "users", 7, None, {"outcome": "refused"})
    exports.record_programme_export(team, 2026)
    db.session.commit()
    _assert_chained(_trail())


def test_a_row_naming_its_actor_by_relationship_hashes_the_actor_id(team):
    user = factories.make_user("practitioner", team=team)
    db.session.add(
        AuditEvent(
            actor=user,
            actor_label=user.name,
            action="view",
            table_name="test_results",
            record_id="1",
            case_id=None,
            changes={},
        )
    )
    db.session.commit()
    last = _trail()[-1]
    assert last.actor_id == user.id
    _assert_chained(_trail())


def test_bulk_inserts_chain_their_audit_rows(team):
    case = factories.make_case(team)
    rows = [
        {
            "case_id": case.id,
            "name": f"Child {n}",
            "date_of_birth": date(2020, 1, n),
            "legal_status": "interim_care_order",
            "lives_with": "foster_carer",
        }
        for n in range(1, 8)
    ]
    ids = insert_rows(Child, rows, ("name",), Child.case_id == case.id)
    audit_inserts(Child, rows, ids, [case.id] * len(rows), datetime.now(UTC))
    db.session.commit()
    children = [row for row in _trail() if row.table_name == "children"]
    assert [row.record_id for row in children] == [str(i) for i in ids]
    _assert_chained(_trail())


def test_a_second_row_after_the_same_previous_row_is_refused(team):
    """Should two writers ever get past the lock, the database refuses the fork."""
    factories.make_case(team)
    tail = _trail()[-1]
    fork = {
        "at": datetime.now(UTC),
        "actor_id": None,
        "actor_label": "system",
        "action": "insert",
        "table_name": "x",
        "record_id": "1",
        "case_id": None,
        "changes": {},
    }
    chain.seal([fork], tail.prev_hash)
    with pytest.raises(IntegrityError):
        db.session.execute(AuditEvent.__table__.insert(), fork)
    db.session.rollback()


def test_values_survive_the_round_trip_so_hashes_recompute(team):
    """What is hashed when writing is what the database gives back when verifying."""
    events.record(
        "export",
        "cases",
        1,
        None,
        {
            "text": "Zoë ‘quoted’ — ünïcode 👪",
            "nested": {"b": [1, 2.5, None], "a": True},
            "big": 2**53 + 1,
            "negative": -0.1,
        },
    )
    db.session.commit()
    assert _intact()


def test_concurrent_writers_never_fork_the_chain(app, team):
    case = factories.make_case(team)
    case_id = case.id
    failures = []

    def writer(n):
        try:
            with app.app_context():
                for i in range(15):
                    events.record("export", "cases", case_id, case_id, {"writer": n, "i": i})
                    db.session.commit()
                db.session.remove()
        except Exception as error:  # reported below, with the thread's error
            failures.append(error)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    db.session.commit()  # a fresh snapshot: the writers committed after this session's last read
    count = db.session.scalar(select(func.count()).where(AuditEvent.action == "export"))
    assert count == 60
    assert _intact()


def test_the_migration_chains_with_the_same_hash_as_the_app():
    spec = importlib.util.spec_from_file_location("migration_0007", MIGRATION)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    row = {
        "at": datetime(2027, 3, 3, 9, 30, 15, 120, tzinfo=UTC),
        "actor_id": 3,
        "actor_label": "Sam Keyworker",
        "action": "update",
        "table_name": "parents",
        "record_id": "12",
        "case_id": 4,
        "changes": {"name": ["A", "Ä b"]},
    }
    assert migration.row_hash(chain.GENESIS, row) == chain.row_hash(chain.GENESIS, row)
    naive = row | {"at": row["at"].replace(tzinfo=None)}  # SQLite gives instants back naive
    assert migration.row_hash("f" * 64, naive) == chain.row_hash("f" * 64, row)


def test_the_row_each_api_request_writes_is_chained(app, team):
    from fdac.api.tokens import create_token
    from tests.api.conftest import ApiClient

    user = factories.make_user("practitioner", team=team)
    made = create_token(user, "Test token", None)
    db.session.commit()
    client = ApiClient(app.test_client(), made.secret)
    assert client.get("/api/v1/cases").status_code == 200
    assert client.get("/api/v1/cases").status_code == 200
    uses = [row for row in _trail() if row.action == "api"]
    assert len(uses) == 2
    _assert_chained(_trail())
