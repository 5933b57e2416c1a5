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
