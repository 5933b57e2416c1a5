"""The one hook that writes the audit trail for every audited model.

A model opts in with `__audited__ = True`; `__audit_redact__` names columns whose values
must never be copied (a password hash: the trail says it changed, not what to).
Rows are written on the flush's own connection, so they commit or roll back with the change,
at the end of the hash chain (fdac.audit.chain).
"""

import enum
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from fdac.audit import chain
from fdac.dates import utc_now

REDACTED = "(changed)"

# Set by create_app: returns (actor_id, actor_label) for whoever is making the change now.
_actor_source: Callable[[], tuple[int | None, str]] = lambda: (None, "system")  # noqa: E731


def set_actor_source(source: Callable[[], tuple[int | None, str]]) -> None:
    global _actor_source
    _actor_source = source


def plain(value):
    """A JSON-safe copy of a column value."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _column_changes(obj, action: str) -> dict:
    state = inspect(obj)
    redact = getattr(obj, "__audit_redact__", frozenset())
    changes = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        hist = state.attrs[key].history
        if action == "insert":
            before, after = None, getattr(obj, key)
        elif action == "delete":
            before, after = getattr(obj, key), None
        else:
            if not hist.has_changes():
                continue
            before = hist.deleted[0] if hist.deleted else None
            after = hist.added[0] if hist.added else None
            if before == after:
                continue
        if key in redact:
            before = REDACTED if before is not None else None
            after = REDACTED if after is not None else None
        changes[key] = [plain(before), plain(after)]
    return changes


def _collection_changes(obj, action: str) -> dict:
    """Changes to the collections a model names in `__audit_collections__` (a many-to-many
    such as a contact's practitioners), as the sorted ids before and after."""
    state = inspect(obj)
    changes = {}
    for key in getattr(obj, "__audit_collections__", ()):
        hist = state.attrs[key].history
        now = [_record_id(member) for member in getattr(obj, key)]
        if action == "insert":
            before, after = [], now
        elif action == "delete":
            before, after = now, []
        else:
            if not hist.has_changes():
                continue
            unchanged = [_record_id(m) for m in hist.unchanged]
            before = unchanged + [_record_id(m) for m in hist.deleted]
            after = unchanged + [_record_id(m) for m in hist.added]
        if sorted(before) != sorted(after) or action != "update":
            changes[key] = [sorted(before), sorted(after)]
    return changes


def current_actor() -> tuple[int | None, str]:
    """(user id, label) of whoever is making a change now."""
    return _actor_source()


def _record_id(obj) -> str:
    state = inspect(obj)
    return ",".join(str(v) for v in state.mapper.primary_key_from_instance(obj))


def _audit_rows(session: Session) -> list[dict]:
    actor_id, actor_label = current_actor()
    now = utc_now()
    rows = []
    for action, objects in (
        ("insert", session.new),
        ("update", session.dirty),
        ("delete", session.deleted),
    ):
        for obj in objects:
            if not getattr(obj, "__audited__", False):
                continue
            collections = bool(getattr(obj, "__audit_collections__", ()))
            if action == "update" and not session.is_modified(obj, include_collections=collections):
                continue
            changes = _column_changes(obj, action) | _collection_changes(obj, action)
            if not changes:
                continue
            rows.append(
                {
                    "at": now,
                    "actor_id": actor_id,
                    "actor_label": actor_label,
                    "action": action,
                    "table_name": obj.__tablename__,
                    "record_id": _record_id(obj),
                    "case_id": getattr(obj, "audit_case_id", None),
                    "changes": changes,
                }
            )
    return rows


def _after_flush(session: Session, flush_context) -> None:
    # after_flush: primary keys of new rows exist, and new/dirty/deleted still hold
    # the flushed objects with their attribute history.
    if rows := _audit_rows(session):
        chain.append(session.connection(), rows)


def _keep_old_value(target, value, oldvalue, initiator):
    return value


def _want_old_values(mapper) -> None:
    """Make every column of an audited model load its old value before it is replaced.

    Without this, setting an attribute that was expired by a commit records no 'before'.
    """
    if not getattr(mapper.class_, "__audited__", False):
        return
    for attr in mapper.column_attrs:
        class_attr = getattr(mapper.class_, attr.key)
        if not event.contains(class_attr, "set", _keep_old_value):
            event.listen(class_attr, "set", _keep_old_value, active_history=True, retval=True)


def install(registry) -> None:
    """Listen on every Session, and on every audited model in `registry` (idempotent)."""
    chain.install()
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
    for mapper in registry.mappers:
        _want_old_values(mapper)
