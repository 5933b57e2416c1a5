"""The hash chain of the audit trail: each row carries the hash of the row before it.

A row's hash is SHA-256 over the previous row's hash and a canonical JSON of its content (at,
actor, action, table, record, case, changes), so changing, removing or inserting a row in the
middle breaks every link after it; `flask fdac audit-verify` (verify.py) walks the chain.

Every writer of audit rows chains through here: Core inserts call `append()`, and an AuditEvent
added to a session is sealed by a `before_insert` hook (its mapper saves one row at a time, so
each reads the hash its predecessor just wrote). Two writers must never chain onto the same
row: `lock_tail()` serialises them (an advisory lock on PostgreSQL, SQLite's write lock), and a
unique constraint on `prev_hash` refuses a fork should anything get past the lock.
"""

import hashlib
import json
from datetime import UTC, datetime

from sqlalchemy import Connection, event, insert, select, text

from fdac.audit.models import AuditEvent
from fdac.dates import utc_now

GENESIS = "0" * 64  # the "previous hash" of the first row
# pg_advisory_xact_lock key of the chain's tail: any fixed 64-bit number unused elsewhere.
LOCK_KEY = 0x46444143_41554449  # "FDACAUDI"
HASHED = ("at", "actor_id", "actor_label", "action", "table_name", "record_id", "case_id")


def canonical(row) -> str:
    """The row's content as canonical JSON: sorted keys, no spaces, times in ISO UTC.

    `row` is a dict of column values or an AuditEvent. `changes` goes through a JSON round
    trip first, so what is hashed when writing is exactly what the database gives back.
    """
    get = row.get if isinstance(row, dict) else lambda key: getattr(row, key)
    content = {key: get(key) for key in HASHED}
    content["at"] = _iso_utc(content["at"])
    content["changes"] = json.loads(json.dumps(get("changes")))
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _iso_utc(at: datetime) -> str:
    if at.tzinfo is None:  # SQLite gives stored instants back without a zone: they are UTC
        at = at.replace(tzinfo=UTC)
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def row_hash(prev_hash: str, row) -> str:
    """SHA-256 (hex) of the previous row's hash, a newline, and this row's canonical JSON."""
    return hashlib.sha256(f"{prev_hash}\n{canonical(row)}".encode()).hexdigest()


def lock_tail(connection: Connection) -> str:
    """Hold the chain's tail for this transaction and return its hash (GENESIS when empty).

    PostgreSQL: a transaction-level advisory lock, released at commit or rollback, taken
    before the read so the read sees every chain row committed before it. SQLite: a write that
    changes nothing takes the database's write lock (held to the end of the transaction) when
    this transaction holds no lock yet; the read then happens inside the same transaction.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
    elif connection.dialect.name == "sqlite":
        connection.execute(text("UPDATE audit_events SET id = id WHERE 0"))
    last = connection.execute(
        select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).scalar()
    return last or GENESIS


def seal(rows: list[dict], prev_hash: str) -> str:
    """Set prev_hash and hash on each row of `rows`, in order, after `prev_hash`; return the
    hash of the last (the new tail)."""
    for row in rows:
        row["prev_hash"] = prev_hash
        row["hash"] = prev_hash = row_hash(prev_hash, row)
    return prev_hash


def append(connection: Connection, rows: list[dict]) -> None:
    """Insert audit rows (dicts of AuditEvent's columns, without the hashes) at the end of the
    chain, in order, on `connection` and inside its transaction."""
    if not rows:
        return
    for row in rows:
        row.setdefault("at", utc_now())
    seal(rows, lock_tail(connection))
    connection.execute(insert(AuditEvent.__table__), rows)


def _seal_orm_row(mapper, connection: Connection, target: AuditEvent) -> None:
    """An AuditEvent added to a session: chain it as it is inserted."""
    if target.at is None:
        target.at = utc_now()
    target.prev_hash = lock_tail(connection)
    target.hash = row_hash(target.prev_hash, target)


def install() -> None:
    """Seal every AuditEvent the ORM inserts (idempotent)."""
    if not event.contains(AuditEvent, "before_insert", _seal_orm_row):
        event.listen(AuditEvent, "before_insert", _seal_orm_row)
