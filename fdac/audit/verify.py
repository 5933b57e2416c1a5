"""Walking the audit trail's hash chain (fdac.audit.chain) to prove nothing was changed.

`verify()` reads every row in id order, recomputes each hash, and stops at the first broken
link, saying what is wrong there. It also checks that the database still refuses changes.
"""

from dataclasses import dataclass

from sqlalchemy import Connection, select, text

from fdac.audit.chain import GENESIS, row_hash
from fdac.audit.models import AuditEvent

CHUNK = 5000  # rows read at a time: the trail can hold millions
# The triggers of migration 0007 that make the database refuse UPDATE and DELETE.
TRIGGERS = ("audit_events_no_update", "audit_events_no_delete")


@dataclass(frozen=True)
class Verdict:
    count: int  # rows checked (up to and including the broken one)
    broken_id: int | None = None
    problem: str = ""
    last_hash: str = GENESIS  # the tail, worth noting down outside the database

    @property
    def ok(self) -> bool:
        return self.broken_id is None


def _rows(connection: Connection):
    table = AuditEvent.__table__
    after = 0
    while True:
        chunk = connection.execute(
            select(table).where(table.c.id > after).order_by(table.c.id).limit(CHUNK)
        ).all()
        # A short transaction per chunk: on SQLite a command's transaction may hold the write
        # lock (fdac/database.py), and writers must not wait for the whole walk. Rows are
        # only ever added at the end, so chunks read apart still form one chain.
        connection.rollback()
        yield from chunk
        if len(chunk) < CHUNK:
            return
        after = chunk[-1].id


def _next_row(connection: Connection, row_id: int):
    table = AuditEvent.__table__
    return connection.execute(
        select(table).where(table.c.id > row_id).order_by(table.c.id).limit(1)
    ).first()


def verify(connection: Connection) -> Verdict:
    """Check the whole chain; the first broken link, if any, is named in the verdict.

    Reads in chunks, ending `connection`'s transaction after each (it only reads)."""
    count = 0
    previous_id, previous_hash = None, GENESIS
    for row in _rows(connection):
        count += 1
        content = row._asdict()
        if row.prev_hash != previous_hash:
            problem = _broken_link(row, content, previous_id, previous_hash)
            return Verdict(count, row.id, problem, previous_hash)
        if row_hash(row.prev_hash, content) != row.hash:
            return Verdict(count, row.id, _changed(connection, row, content), previous_hash)
        previous_id, previous_hash = row.id, row.hash
    return Verdict(count, last_hash=previous_hash)


def _broken_link(row, content: dict, previous_id: int | None, previous_hash: str) -> str:
    before = f"row {previous_id}" if previous_id is not None else "the start of the chain"
    if row_hash(previous_hash, content) == row.hash:
        return f"link to the previous row changed: its prev_hash no longer names {before}"
    if row_hash(row.prev_hash, content) != row.hash:
        return f"content changed, and its link does not follow {before}"
    if previous_id is None:
        return "row missing: the chain does not start here (the rows before it are gone)"
    return (
        f"row missing between row {previous_id} and this one "
        f"(or row {previous_id} was changed and its hash recomputed)"
    )


def _changed(connection: Connection, row, content: dict) -> str:
    """The row's hash is wrong: either its content or the stored hash itself was changed.
    The next row's prev_hash recorded the true hash, so it tells which."""
    following = _next_row(connection, row.id)
    if following is not None and following.prev_hash == row_hash(row.prev_hash, content):
        return "hash changed: the stored hash is not that of the row's content"
    return "content changed: the row's content no longer matches its hash"


def missing_triggers(connection: Connection) -> list[str]:
    """The triggers refusing UPDATE and DELETE that are absent (or disabled)."""
    if connection.dialect.name == "postgresql":
        found = connection.execute(
            text(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_events'::regclass "
                "AND NOT tgisinternal AND tgenabled <> 'D'"
            )
        ).scalars()
    else:
        found = connection.execute(
            text(
                "SELECT name FROM sqlite_master "
                "WHERE type = 'trigger' AND tbl_name = 'audit_events'"
            )
        ).scalars()
    present = set(found)
    return [name for name in TRIGGERS if name not in present]
