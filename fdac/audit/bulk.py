"""Bulk inserts with their audit rows, for imports too large for one ORM object at a time.

The ORM hook (recorder.py) only sees ORM objects; `audit_inserts` writes the same kind of
audit row for rows stored with a plain executemany, so nothing stored escapes the trail.
"""

from sqlalchemy import insert, select

from fdac.audit import chain, recorder
from fdac.extensions import db
from fdac.paging import in_chunks

_JSON_READY = (str, int, bool)  # values that need no conversion (enums are str too)


def insert_rows(model, rows: list[dict], key: tuple[str, ...], mine) -> list[int]:
    """Insert `rows` with one executemany and return their new ids, in order.

    The ids are read back with one query for the rows matching `mine`, matched on `key`
    (columns unique among `rows`). RETURNING is slower on both databases: SQLite inserts one
    row at a time to keep the order, psycopg parses each huge VALUES statement.
    """
    if not rows:
        return []
    table = model.__table__
    db.session.execute(insert(table), rows)
    stored = db.session.execute(select(table.c.id, *(table.c[k] for k in key)).where(mine))
    id_of = {tuple(found[1:]): found[0] for found in stored}
    if len(id_of) != len(rows):
        raise RuntimeError(f"{table.name}: {key} does not tell the new rows apart")
    return [id_of[tuple(row[k] for k in key)] for row in rows]


def audit_inserts(
    model, rows: list[dict], ids: list[int], case_ids: list[int], now, details=None
) -> None:
    """One insert audit row per stored row, as the ORM hook writes them.

    `details`, when given, holds for each row what was stored with it (its readings, say),
    recorded in the same audit row as {name: [None, value]}.
    """
    actor_id, actor_label = recorder.current_actor()
    table = model.__table__
    columns = [column.key for column in table.columns if column.key != "id"]
    # A column the rows leave out got its default (a record's version starts at 1).
    defaults = {
        column.key: column.default.arg
        for column in table.columns
        if column.default is not None and column.default.is_scalar
    }
    details = details or [None] * len(rows)
    for chunk in in_chunks(list(zip(rows, ids, case_ids, details, strict=True))):
        events = [
            {
                "at": now,
                "actor_id": actor_id,
                "actor_label": actor_label,
                "action": "insert",
                "table_name": table.name,
                "record_id": str(record_id),
                "case_id": case_id,
                "changes": _changes(defaults | row, record_id, columns, extra),
            }
            for row, record_id, case_id, extra in chunk
        ]
        chain.append(db.session.connection(), events)


def _json(value):
    return value if value is None or type(value) in _JSON_READY else recorder.plain(value)


def _changes(row: dict, record_id: int, columns: list[str], extra: dict | None) -> dict:
    """{column: [None, value]} as JSON, like recorder._column_changes() for an insert."""
    changes = {"id": [None, record_id]}
    for key in columns:
        changes[key] = [None, _json(row[key])]
    for name, value in (extra or {}).items():
        changes[name] = [None, value]
    return changes
