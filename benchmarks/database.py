"""The benchmark's own database: a temporary SQLite file, or the PostgreSQL URL given.

Never the developer's instance/ database. On PostgreSQL the public schema is dropped and
recreated first, then the migrations run, as a fresh deployment does.
"""

import logging
import os
import platform
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from fdac.extensions import db


class BenchmarkError(RuntimeError):
    """The benchmark cannot run: one line for stderr, exit status 2."""


def _checked_url(url: str) -> str:
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):  # only psycopg 3 is installed, as fdac.config assumes
            url = "postgresql+psycopg://" + url[len(prefix) :]
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        from fdac import config

        path = Path(parsed.database or "").resolve()
        if not parsed.database or parsed.database == ":memory:":
            raise BenchmarkError("Give SQLite as a file, or leave --database-url out")
        if path.is_relative_to(config.INSTANCE_PATH.resolve()):
            raise BenchmarkError(f"{path} is in instance/: the benchmark needs its own database")
    elif parsed.get_backend_name() != "postgresql":
        raise BenchmarkError(f"{parsed.get_backend_name()}: use SQLite or PostgreSQL")
    return url


@contextmanager
def benchmark_app(url: str | None) -> Iterator[Flask]:
    """The app on a freshly migrated benchmark database, inside an app context."""
    # Before create_app: it would otherwise keep a generated secret key in instance/.
    os.environ.setdefault("SECRET_KEY", "benchmark-secret-key")
    # A handler on the root logger keeps migrations/env.py from configuring INFO logging.
    logging.basicConfig(level=logging.WARNING)
    from flask_migrate import upgrade

    from fdac import create_app

    folder = None
    if url is None:
        folder = Path(tempfile.mkdtemp(prefix="fdac-bench-"))
        url = f"sqlite:///{folder / 'bench.sqlite3'}"
    app = create_app(
        {
            "TESTING": True,  # errors in a request surface as exceptions, not 500 pages
            "SECRET_KEY": os.environ["SECRET_KEY"],
            "SQLALCHEMY_DATABASE_URI": _checked_url(url),
        }
    )
    try:
        with app.app_context():
            if db.engine.dialect.name == "postgresql":
                with db.engine.begin() as conn:
                    conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            upgrade()
            yield app
            db.session.remove()
            db.engine.dispose()
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


def machine() -> str:
    return (
        f"{platform.platform()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()} ({platform.python_implementation()})"
    )


def describe() -> str:
    """The database as the header names it: dialect, driver, server version, where."""
    engine = db.engine
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            version = conn.execute(text("SHOW server_version")).scalar()
            where = f"{engine.url.host}:{engine.url.port}/{engine.url.database}"
        else:
            version = sqlite3.sqlite_version
            where = "temporary file" if "fdac-bench-" in str(engine.url) else engine.url.database
    return f"{engine.dialect.name} {version} ({engine.driver}), {where}"


def count(table) -> int:
    return db.session.scalar(select(func.count()).select_from(table))


def analyse(*tables) -> None:
    """Fresh planner statistics, as autovacuum would keep them (PostgreSQL only)."""
    if db.engine.dialect.name != "postgresql":
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table in tables:
            conn.execute(text(f"VACUUM ANALYZE {table.name}"))  # our own table names


def reset_sequences(*tables) -> None:
    """After rows inserted with explicit ids, PostgreSQL's sequences must continue above them."""
    if db.engine.dialect.name != "postgresql":
        return
    with db.engine.begin() as conn:
        for table in tables:
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "  # noqa: S608
                    f"(SELECT coalesce(max(id), 0) + 1 FROM {table.name}), false)"
                )
            )
