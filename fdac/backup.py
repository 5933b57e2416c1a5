"""Backups that restore: a consistent copy of the database, checked before it goes back.

A backup is two files in one folder (docs/decisions/0030-sqlite-writes-excel-cells-backups.md):
- the copy: `fdac-backup-20261122T183000Z.sqlite3` (SQLite's online backup API: consistent
  while the app writes) or `...dump` (PostgreSQL: `pg_dump --format=custom`, of the same
  snapshot the figures below are read from);
- its manifest, the copy's name + `.json`: format, database kind, the copy's SHA-256, the
  migration revision, when, and each table's row count and a SHA-256 of its rows in primary-key
  order. The manifest is written last, so a folder with a copy and no manifest holds an
  unfinished backup; both are written to a `.part` file first and renamed into place.

`restore` checks the copy against its manifest (checksum, kind, a revision this app knows),
refuses a database that holds any row, restores, and then checks every table's count and
checksum against the manifest.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import MetaData, Table, create_engine, func, inspect, select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import NullPool

from fdac.extensions import db
from fdac.files import write_atomically

FORMAT = "fdac-backup/1"
SUFFIX = {"sqlite": ".sqlite3", "postgresql": ".dump"}
VERSION_TABLE = "alembic_version"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go ahead, with a message a person can act on."""


@dataclass(frozen=True)
class Backup:
    path: Path
    manifest: dict

    @property
    def manifest_path(self) -> Path:
        return manifest_path(self.path)


def manifest_path(copy: Path) -> Path:
    return copy.with_name(copy.name + ".json")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


# ------------------------------------------------------------------------ what a database holds


def _table(connection: Connection, name: str) -> Table:
    """The app's own table (its types read values as the app does), else reflected."""
    if name in db.metadata.tables:
        return db.metadata.tables[name]
    return Table(name, MetaData(), autoload_with=connection)


def table_summaries(connection: Connection) -> dict[str, dict]:
    """Each table's row count and the SHA-256 of its rows in primary-key order (each row's
    values as Python reads them, one repr per line): equal on two databases of one kind
    exactly when they hold the same rows."""
    summaries = {}
    for name in sorted(inspect(connection).get_table_names()):
        table = _table(connection, name)
        order = list(table.primary_key.columns) or list(table.columns)
        digest, rows = hashlib.sha256(), 0
        result = connection.execution_options(yield_per=1000).execute(
            select(table).order_by(*order)
        )
        for row in result:
            digest.update(repr(tuple(row)).encode() + b"\n")
            rows += 1
        summaries[name] = {"rows": rows, "sha256": digest.hexdigest()}
    return summaries


def _revision(connection: Connection) -> str | None:
    if VERSION_TABLE not in inspect(connection).get_table_names():
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _rows_held(connection: Connection) -> dict[str, int]:
    """Tables with rows, other than the migration revision."""
    held = {}
    for name in inspect(connection).get_table_names():
        if name == VERSION_TABLE:
            continue
        count = connection.execute(select(func.count()).select_from(_table(connection, name)))
        if n := count.scalar():
            held[name] = n
    return held


# ------------------------------------------------------------------------------------ backup


def backup(out_dir: Path, *, now: datetime) -> Backup:
    """Write a backup of the app's database into `out_dir` (made if missing)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    kind = db.engine.dialect.name
    if kind not in SUFFIX:
        raise BackupError(f"cannot back up a {kind} database")
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    copy = out_dir / f"fdac-backup-{stamp}{SUFFIX[kind]}"
    if copy.exists():
        raise BackupError(f"{copy} already exists")
    part = copy.with_name(copy.name + ".part")
    try:
        if kind == "sqlite":
            revision, tables = _sqlite_backup(db.engine, part)
        else:
            revision, tables = _postgresql_backup(db.engine, part)
        os.replace(part, copy)
    finally:
        part.unlink(missing_ok=True)
    manifest = {
        "format": FORMAT,
        "kind": kind,
        "file": copy.name,
        "sha256": sha256_of(copy),
        "revision": revision,
        "created_at": now.isoformat(),
        "tables": tables,
    }
    write_atomically(manifest_path(copy), json.dumps(manifest, indent=2).encode() + b"\n")
    return Backup(copy, manifest)


def _sqlite_file(engine: Engine) -> str:
    path = engine.url.database
    if not path or path == ":memory:":
        raise BackupError("the database is in memory: there is no file to back up")
    return path


def _sqlite_backup(engine: Engine, part: Path) -> tuple[str | None, dict]:
    """SQLite's online backup API: a consistent copy even while others write."""
    source = sqlite3.connect(_sqlite_file(engine), timeout=30)
    target = sqlite3.connect(part)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    finally:
        target.close()
        source.close()
    copy_engine = create_engine(f"sqlite:///{part}", poolclass=NullPool)
    try:
        with copy_engine.connect() as connection:
            return _revision(connection), table_summaries(connection)
    finally:
        copy_engine.dispose()


def _pg_tool(name: str, connection: Connection) -> str:
    """The PostgreSQL client program `name` of the server's major version."""
    major = int(connection.exec_driver_sql("SHOW server_version_num").scalar()) // 10000
    folders = [os.environ.get("PG_BIN"), f"/usr/lib/postgresql/{major}/bin"]
    for folder in filter(None, folders):
        if (Path(folder) / name).is_file():
            return str(Path(folder) / name)
    if found := shutil.which(name):
        return found
    raise BackupError(f"{name} (PostgreSQL {major}) not found: set PG_BIN to its folder")


def _pg_args(engine: Engine) -> tuple[list[str], dict]:
    """Connection arguments for pg_dump and pg_restore; the password goes in the
    environment, never on the command line (which others can read)."""
    url = engine.url
    args = ["--no-password", "--dbname", url.database or "postgres"]
    host = url.host or url.query.get("host")
    if host:
        args += ["--host", str(host)]
    if url.port:
        args += ["--port", str(url.port)]
    if url.username:
        args += ["--username", url.username]
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return args, env


def _run(command: list[str], env: dict) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()[-500:]}")


def _postgresql_backup(engine: Engine, part: Path) -> tuple[str | None, dict]:
    """pg_dump of the snapshot this transaction reads the figures from, so the manifest
    describes exactly what the dump holds."""
    with engine.connect() as connection:
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            snapshot = connection.exec_driver_sql("SELECT pg_export_snapshot()").scalar()
            args, env = _pg_args(engine)
            dump = [_pg_tool("pg_dump", connection), "--format=custom", "--no-owner"]
            _run([*dump, f"--snapshot={snapshot}", f"--file={part}", *args], env)
            return _revision(connection), table_summaries(connection)


# ----------------------------------------------------------------------------------- restore


def read_manifest(copy: Path) -> dict:
    path = manifest_path(copy)
    if not path.is_file():
        raise BackupError(f"no manifest {path.name} beside the backup: it is not a whole backup")
    try:
        manifest = json.loads(path.read_text())
    except (ValueError, UnicodeDecodeError):
        raise BackupError(f"{path.name} is not a backup manifest") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path.name} is not a backup manifest of the format {FORMAT}")
    return manifest


def check(copy: Path) -> dict:
    """The manifest of a backup whose copy is whole and fits this app's database."""
    copy = Path(copy)
    if not copy.is_file():
        raise BackupError(f"no backup file {copy}")
    manifest = read_manifest(copy)
    if sha256_of(copy) != manifest.get("sha256"):
        raise BackupError(
            f"{copy.name} does not match its checksum: the file is damaged or was changed"
        )
    kind = db.engine.dialect.name
    if manifest.get("kind") != kind:
        raise BackupError(f"this is a {manifest.get('kind')} backup; the database is {kind}")
    revision = manifest.get("revision")
    if revision is not None and revision not in _known_revisions():
        raise BackupError(
            f"the backup is at migration {revision}, which this version of the app does not "
            "have: restore it with the version that made it"
        )
    return manifest


def _known_revisions() -> set[str]:
    directory = current_app.extensions["migrate"].directory
    return {script.revision for script in ScriptDirectory(directory).walk_revisions()}


def restore(copy: Path) -> dict:
    """Restore the checked backup `copy` into the app's database, which must hold no row;
    returns the manifest once every table matches it."""
    manifest = check(copy)
    engine = db.engine
    db.session.remove()
    with engine.connect() as connection:
        if held := _rows_held(connection):
            name, rows = next(iter(sorted(held.items())))
            raise BackupError(
                f"the database is not empty ({name} has {rows} rows): restore goes into an "
                "empty database only"
            )
        has_tables = bool(inspect(connection).get_table_names())
        tool = _pg_tool("pg_restore", connection) if engine.dialect.name == "postgresql" else ""
    engine.dispose()  # no pooled connection holds the old file or tables
    if engine.dialect.name == "sqlite":
        _sqlite_restore(Path(copy), _sqlite_file(engine))
    else:
        args, env = _pg_args(engine)
        command = [tool, "--no-owner", "--exit-on-error", "--single-transaction"]
        if has_tables:  # an empty schema made by `flask db upgrade`: replaced by the backup's
            command += ["--clean", "--if-exists"]
        _run([*command, *args, str(copy)], env)
    engine.dispose()
    with engine.connect() as connection:
        restored = table_summaries(connection)
    wrong = sorted(
        name
        for name in set(restored) | set(manifest["tables"])
        if restored.get(name) != manifest["tables"].get(name)
    )
    if wrong:
        raise BackupError(f"restored, but these tables differ from the backup: {wrong}")
    return manifest


def _sqlite_restore(copy: Path, target: str) -> None:
    source = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    destination = sqlite3.connect(target, timeout=30)
    try:
        source.backup(destination)
        destination.execute("PRAGMA journal_mode=WAL")
    finally:
        destination.close()
        source.close()
