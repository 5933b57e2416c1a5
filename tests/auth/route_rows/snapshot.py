"""Every table's rows, to compare the database before and after requests that must change
nothing (a read, a forged form), with the writes a read is meant to make left out."""

import hashlib

from sqlalchemy import select

from fdac.extensions import db

# Tables a read appends to, by design (rows already there must stay as they were).
GROWING = {
    # Reading test results and downloading an export are audited (issue 8); every API request
    # writes one row (method, path, status) about the token used.
    "audit_events": "views of test results, exports and API requests are audited",
}
# Columns a read updates, by design.
TOUCHED = {
    ("api_tokens", "last_used_at"): "a token shows when it was last used (its owner's page)",
    ("calendar_feeds", "last_used_at"): "a feed link shows when a calendar last fetched it",
}


def snapshot() -> dict[str, tuple]:
    """Each table: its rows (as sorted tuples, the touched columns left out)."""
    db.session.commit()
    tables = {}
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if (table.name, c.name) not in TOUCHED]
        rows = db.session.execute(select(*columns)).all()
        tables[table.name] = tuple(sorted(tuple(map(repr, row)) for row in rows))
    db.session.commit()
    return tables


def changes(before: dict, after: dict) -> dict[str, str]:
    """Each table whose rows changed, and how (growing tables may only gain rows)."""
    found = {}
    for name, rows in after.items():
        old = before[name]
        if name in GROWING:
            if not set(old) <= set(rows):
                found[name] = "rows already there were altered or removed"
        elif rows != old:
            gained, lost = len(set(rows) - set(old)), len(set(old) - set(rows))
            digest = hashlib.sha256(repr(rows).encode()).hexdigest()[:12]
            found[name] = f"{gained} rows new or changed, {lost} gone (now {digest})"
    return found
