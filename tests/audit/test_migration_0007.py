"""Migration 0007 chains the rows already in the trail and guards them (SQLite file; the
PostgreSQL path runs in every PostgreSQL session's `upgrade()`)."""

from pathlib import Path

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from fdac import create_app
from fdac.audit.verify import missing_triggers, verify
from fdac.extensions import db

MIGRATIONS = str(Path(__file__).parents[2] / "migrations")


def test_existing_rows_are_chained_in_id_order_and_then_guarded(tmp_path):
    url = f"sqlite:///{tmp_path / 'existing.sqlite3'}"
    older = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url})
    with older.app_context():
        upgrade(directory=MIGRATIONS, revision="0006")
        with db.engine.begin() as conn:
            for n in (3, 1, 2, 7):  # ids out of insertion order, with a gap
                conn.execute(
                    text(
                        "INSERT INTO audit_events (id, at, actor_id, actor_label, action, "
                        "table_name, record_id, case_id, changes) VALUES (:id, "
                        "'2026-0' || :id || '-01 10:00:00.000000', NULL, 'system', 'insert', "
                        "'parents', :id, 1, :changes)"
                    ),
                    {"id": n, "changes": '{"name": [null, "Zoë ' + str(n) + '"]}'},
                )

        upgrade(directory=MIGRATIONS, revision="0007")

        with db.engine.connect() as conn:
            verdict = verify(conn)
            assert verdict.ok and verdict.count == 4
            assert missing_triggers(conn) == []
            first = conn.execute(text("SELECT prev_hash FROM audit_events WHERE id = 1")).scalar()
            assert first == "0" * 64
            with pytest.raises(DatabaseError, match="append-only"):
                conn.execute(text("DELETE FROM audit_events WHERE id = 2"))
            conn.rollback()

        downgrade(directory=MIGRATIONS, revision="0006")
        with db.engine.begin() as conn:
            columns = {row[1] for row in conn.execute(text("PRAGMA table_info(audit_events)"))}
            assert "hash" not in columns and "prev_hash" not in columns
            conn.execute(text("DELETE FROM audit_events WHERE id = 2"))  # unguarded again
        db.session.remove()
        db.engine.dispose()
