"""`flask fdac backup` and `flask fdac restore`: the demo data backed up, restored into a second,
empty database, and every table the same there (rows and checksum); a damaged or changed
copy, a database that is not empty, and a copy from another kind of database are refused."""

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from fdac import backup, create_app
from fdac.dates import london_today
from fdac.demo import load as load_demo
from fdac.extensions import db
from tests import factories
from tests.conftest import _TMP, _database_url

SECOND = "fdac_restored"


@pytest.fixture
def second_url():
    """An empty second database: a new SQLite file, or a new database on the same server."""
    url = make_url(_database_url())
    if url.get_backend_name() == "sqlite":
        path = _TMP / f"{SECOND}.sqlite3"
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)
        yield f"sqlite:///{path}"
        return
    admin = db.engine.execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {SECOND} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {SECOND}"))
    yield url.set(database=SECOND).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {SECOND} WITH (FORCE)"))


@pytest.fixture
def second_app(second_url):
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "second", "SQLALCHEMY_DATABASE_URI": second_url}
    )
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _summaries(app) -> dict:
    with app.app_context(), db.engine.connect() as conn:
        return backup.table_summaries(conn)


def _cli(app, *args):
    with app.app_context():  # the command runs in the context it finds, if any
        return app.test_cli_runner().invoke(args=["fdac", *args])


def _backup_demo(app, tmp_path) -> Path:
    load_demo(today=london_today())
    return _backup(app, tmp_path)


def _backup_a_case(app, tmp_path) -> Path:
    factories.add_parent(factories.make_case(factories.make_team()))
    return _backup(app, tmp_path)


def _backup(app, tmp_path) -> Path:
    db.session.commit()
    db.session.remove()
    result = _cli(app, "backup", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    [copy] = [p for p in tmp_path.iterdir() if p.name.startswith("fdac-backup-") and
              not p.name.endswith(".json")]  # fmt: skip
    return copy


def test_the_demo_data_backed_up_restores_into_an_empty_database_table_for_table(
    app, second_app, tmp_path
):
    copy = _backup_demo(app, tmp_path)
    manifest = json.loads(Path(f"{copy}.json").read_text())
    live = _summaries(app)

    assert manifest["kind"] == db.engine.dialect.name
    with app.app_context(), db.engine.connect() as conn:
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    assert manifest["revision"] == revision
    assert manifest["tables"] == live
    assert manifest["tables"]["cases"]["rows"] > 0
    assert manifest["tables"]["audit_events"]["rows"] > 0
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []

    result = _cli(second_app, "restore", str(copy))

    assert result.exit_code == 0, result.output
    assert "every table as in the backup" in result.output
    restored = _summaries(second_app)
    assert restored == live  # every table: the same number of rows, the same rows
    assert set(restored) >= {t.name for t in db.metadata.sorted_tables} | {"alembic_version"}
    # The copy's audit trail is whole: every link of the chain, and its guard triggers.
    verified = _cli(second_app, "audit-verify")
    assert verified.exit_code == 0, verified.output
    assert "chain intact" in verified.output


def test_restore_refuses_a_database_that_holds_anything(app, tmp_path):
    copy = _backup_a_case(app, tmp_path)

    result = _cli(app, "restore", str(copy))

    assert result.exit_code == 2
    assert "restore goes into an empty database only" in result.output


def test_restore_refuses_a_changed_copy_and_a_copy_without_its_manifest(app, second_app, tmp_path):
    copy = _backup_a_case(app, tmp_path)
    changed = tmp_path / "changed" / copy.name
    changed.parent.mkdir()
    shutil.copy(copy, changed)
    shutil.copy(f"{copy}.json", f"{changed}.json")
    with open(changed, "r+b") as f:
        f.seek(3000)
        byte = f.read(1)
        f.seek(3000)
        f.write(bytes([byte[0] ^ 0xFF]))

    result = _cli(second_app, "restore", str(changed))
    assert result.exit_code == 2
    assert "does not match its checksum" in result.output

    Path(f"{changed}.json").unlink()
    result = _cli(second_app, "restore", str(changed))
    assert result.exit_code == 2
    assert "no manifest" in result.output
    assert _summaries(second_app) == {}  # nothing was restored


def test_restore_refuses_another_kind_of_database_and_an_unknown_migration(
    app, second_app, tmp_path
):
    copy = _backup_a_case(app, tmp_path)
    manifest_file = Path(f"{copy}.json")
    manifest = json.loads(manifest_file.read_text())

    other = "postgresql" if manifest["kind"] == "sqlite" else "sqlite"
    manifest_file.write_text(json.dumps(manifest | {"kind": other}))
    result = _cli(second_app, "restore", str(copy))
    assert result.exit_code == 2
    assert f"this is a {other} backup" in result.output

    manifest_file.write_text(json.dumps(manifest | {"revision": "9999_from_the_future"}))
    result = _cli(second_app, "restore", str(copy))
    assert result.exit_code == 2
    assert "does not have" in result.output
