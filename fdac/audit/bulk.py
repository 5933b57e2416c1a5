"""Bulk inserts with their audit rows, for imports too large for one ORM object at a time.

The ORM hook (recorder.py) only sees ORM objects; this writes the same audit rows alongside
a plain executemany, so nothing stored escapes the trail.
"""

from sqlalchemy import insert, select

from fdac.audit import recorder
from fdac.audit.models import AuditEvent
from fdac.extensions import db
from fdac.paging import in_chunks

_JSON_READY = (str, int, bool)  # values that need no conversion (enums are str too)


def insert_audited(
    model, rows: list[dict], case_ids: list[int], now, key: tuple[str, ...], mine
) -> list[int]:
    """Insert `rows`, and the audit rows the ORM hook would have written for them.

    A plain executemany, then one query for the new ids (the rows matching `mine`), matched
    on `key`, columns unique among `rows`. RETURNING is slower on both databases: SQLite
    inserts one row at a time to keep the order, psycopg parses each huge VALUES statement.
    """
    if not rows:
        return []
    table = model.__table__
    db.session.execute(insert(table), rows)
    stored = db.session.execute(select(table.c.id, *(table.c[k] for k in key)).where(mine))
    id_of = {tuple(found[1:]): found[0] for found in stored}
    if len(id_of) != len(rows):
        raise RuntimeError(f"{table.name}: {key} does not tell the new rows apart")
    ids = [id_of[tuple(row[k] for k in key)] for row in rows]
    # The same shape as fdac.audit.recorder writes on an ORM flush.
    actor_id, actor_label = recorder.current_actor()
    columns = [column.key for column in table.columns if column.key != "id"]
    rows_with_ids = list(zip(rows, ids, case_ids, strict=True))
    for chunk in in_chunks(rows_with_ids):  # in chunks: memory stays flat however long the file
        events = [
            {
                "at": now,
                "actor_id": actor_id,
                "actor_label": actor_label,
                "action": "insert",
                "table_name": table.name,
                "record_id": str(record_id),
                "case_id": case_id,
                "changes": _audit_changes(row, record_id, columns),
            }
            for row, record_id, case_id in chunk
        ]
        db.session.execute(insert(AuditEvent.__table__), events)
    return ids


def _audit_changes(row: dict, record_id: int, columns: list[str]) -> dict:
    """{column: [None, value]} as JSON, like recorder._column_changes() for an insert."""
    changes = {"id": [None, record_id]}
    for key in columns:
        value = row[key]
        plain = value is None or type(value) in _JSON_READY
        changes[key] = [None, value if plain else recorder.plain(value)]
    return changes
