"""How the app talks to its database engine: SQLite's settings, applied on every connection.

SQLite (docs/decisions/0030-sqlite-writes-excel-cells-backups.md):
- WAL, so pages read while a write commits; foreign keys on (SQLite leaves them off).
- A busy timeout (the driver's `timeout` and `PRAGMA busy_timeout`): a writer waits up to 15 s
  for another's lock instead of failing at once.
- Transactions begun by us, not by pysqlite (which begins only before an INSERT, never before
  a SELECT, and commits before DDL): reads and writes of one unit of work share one snapshot,
  savepoints work and migrations are transactional.
- `BEGIN IMMEDIATE` for every transaction that may write: it takes the write lock first, so
  two writers queue on the busy timeout. A deferred transaction that has read and then writes
  must upgrade its lock, and SQLite refuses that at once ("database is locked", no waiting)
  when another writer holds the lock or committed since the read: the classic deadlock.
  Transactions of GET, HEAD and OPTIONS requests begin deferred (readers never wait for a
  writer in WAL), unless their first statement already writes. Outside a request, reads run on
  their own and the first write begins IMMEDIATE (`_begin_for`): a command or a job never
  holds the write lock while it only reads.
- The BEGIN is sent just before the transaction's first statement that is not a PRAGMA:
  `PRAGMA foreign_keys` does nothing inside a transaction, and migrations/env.py relies on it.
"""

from flask import Flask, has_request_context, request
from sqlalchemy import event

from fdac.extensions import db

SQLITE_TIMEOUT_SECONDS = 15  # how long a writer waits for another's lock before failing
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER")
_PENDING = "fdac_sqlite_begin"  # Connection.info key: a BEGIN not sent yet


def configure(app: Flask) -> None:
    """Engine options; before db.init_app."""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        app.config.setdefault(
            "SQLALCHEMY_ENGINE_OPTIONS", {"connect_args": {"timeout": SQLITE_TIMEOUT_SECONDS}}
        )


def init_app(app: Flask) -> None:
    """Per-connection settings; after db.init_app."""
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            install_sqlite_events(engine)


def install_sqlite_events(engine) -> None:
    """WAL, foreign keys, busy timeout and our own BEGIN on every connection of `engine`."""

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # pysqlite sends no BEGIN or COMMIT of its own
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_TIMEOUT_SECONDS * 1000}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin_later(conn):
        conn.info[_PENDING] = True

    @event.listens_for(engine, "before_cursor_execute")
    def _send_begin(conn, cursor, statement, _parameters, _context, _executemany):
        if not conn.info.get(_PENDING):
            return
        first_word = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else ""
        if first_word == "PRAGMA":
            return  # runs outside the transaction; BEGIN goes before the next statement
        begin = _begin_for(first_word)
        if begin is None:
            return  # a read outside a request: on its own, as pysqlite always ran them
        del conn.info[_PENDING]
        cursor.execute(begin)

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _forget(conn):
        conn.info.pop(_PENDING, None)


def _begin_for(first_word: str) -> str | None:
    """The BEGIN for a transaction whose first statement starts with `first_word`, or None to
    send none yet.

    - A form post (any request but GET, HEAD, OPTIONS): IMMEDIATE at once; its reads and
      writes are one unit, and the write lock is taken before the first read.
    - A page read: a plain BEGIN (one snapshot; readers never wait in WAL), IMMEDIATE if its
      first statement writes.
    - Outside a request (commands, scheduled jobs, scripts): reads run on their own, as pysqlite
      ran them, holding no lock; the first write begins IMMEDIATE. A job that reads then
      writes never holds the write lock while it reads, and never has to upgrade a read lock.
    """
    writes = first_word in WRITES
    if not has_request_context():
        return "BEGIN IMMEDIATE" if writes else None
    if request.method in READ_ONLY_METHODS and not writes:
        return "BEGIN"
    return "BEGIN IMMEDIATE"
