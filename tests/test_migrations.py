"""The schema comes from the migrations, and the migrations match the models."""

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app

from fdac.extensions import db

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def test_models_and_migrations_agree(app):
    # The test database was built by `upgrade()` in conftest; nothing may differ from the models.
    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts=current_app.extensions["migrate"].configure_args
        )
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_migrations_form_one_numbered_line():
    config = current_app.extensions["migrate"].migrate.get_config(str(MIGRATIONS))
    scripts = ScriptDirectory.from_config(config)
    assert len(scripts.get_heads()) == 1
    for revision in scripts.walk_revisions():
        assert revision.revision.isdigit() and len(revision.revision) == 4
        assert Path(revision.path).name.startswith(revision.revision + "_")


def test_upgrading_a_sqlite_database_with_records_keeps_every_row(tmp_path):
    """SQLite alters a table by copying it: with results pointing at results, a later migration
    must neither fail nor lose or orphan a row (it did, before env.py paused the foreign keys)."""
    from flask_migrate import upgrade
    from sqlalchemy import text

    from fdac import create_app

    url = f"sqlite:///{tmp_path / 'existing.sqlite3'}"
    older = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url})
    with older.app_context():
        upgrade(directory=str(MIGRATIONS), revision="0003")
        with db.engine.begin() as conn:
            for statement in (
                "INSERT INTO teams (id, name, court_name, court_code, local_authorities, "
                "created_at) VALUES (1, 'T', 'C', 'ZW', '', '2026-01-01')",
                "INSERT INTO cases (id, reference, court_case_number, team_id, local_authority, "
                "entered_on, phase, created_at) VALUES (1, 'FDAC-2026-0001', 'ZW26C00001', 1, "
                "'LA', '2026-01-05', 'trial_for_change', '2026-01-05')",
                "INSERT INTO parents (id, case_id, name, date_of_birth, relationship_to_children)"
                " VALUES (1, 1, 'P', '1990-01-01', 'mother')",
                "INSERT INTO test_results (id, case_id, parent_id, matrix, method, collected_on, "
                "status, status_reason, lab_name, lab_reference, amendment_reason, note, "
                "entered_at) VALUES (1, 1, 1, 'urine', 'point_of_care', '2026-01-06', 'result', "
                "'', '', '', '', '', '2026-01-06')",
                "INSERT INTO substance_results (id, result_id, substance, screen) "
                "VALUES (1, 1, 'cocaine', 'negative')",
            ):
                conn.execute(text(statement))

        upgrade(directory=str(MIGRATIONS))

        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM test_results")).scalar() == 1
            assert conn.execute(text("SELECT count(*) FROM substance_results")).scalar() == 1
            assert conn.execute(text("PRAGMA foreign_key_check")).fetchall() == []
        db.session.remove()
        db.engine.dispose()
