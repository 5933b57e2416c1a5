"""Audit rows written by hand, for what changes no audited record: an export, a sign-in, a
view of test results. The session hook (recorder.py) never sees these.

Each keeps the trail's shape, {field: [before, after]} with nothing before, so the case's
history page can list it like an insert. Facts say what happened, never the sensitive values
themselves (no result, no note, no password): the trail must not become a second copy of them.
The row is added to the session and chained when it is flushed (fdac.audit.chain).
"""

from fdac.audit.models import AuditEvent
from fdac.audit.recorder import current_actor
from fdac.dates import utc_now
from fdac.extensions import db

VIEW = "view"


def record(
    action: str, table: str, record_id: int | str, case_id: int | None, facts: dict
) -> AuditEvent:
    """Add one audit row by whoever is acting now (fdac.audit.recorder.current_actor) to the
    session; the caller commits. `facts` must be JSON values: each is stored as [None, value]."""
    actor_id, actor_label = current_actor()
    event = AuditEvent(
        at=utc_now(),
        actor_id=actor_id,
        actor_label=actor_label,
        action=action,
        table_name=table,
        record_id=str(record_id),
        case_id=case_id,
        changes={name: [None, value] for name, value in facts.items()},
    )
    db.session.add(event)
    return event


def record_read(action: str, table: str, record_id, case_id, facts: dict) -> AuditEvent:
    """`record()` for a read (a view, an export), which changes nothing else: the read's
    transaction ends first, so the audit row goes into one that takes SQLite's write lock at
    its first statement. (A transaction that has read and then writes must upgrade its lock,
    which SQLite refuses at once when another writer committed since the read: see
    fdac/database.py.) Commits whatever the session holds: call it with nothing pending."""
    db.session.commit()
    return record(action, table, record_id, case_id, facts)


def record_view(case, parent=None, result=None, via: str = "page") -> AuditEvent:
    """Record, and commit, that the person acting now read test results of `case`: one
    result, one parent's results, or (neither given) every result of the case.

    Who, when and which, never the values. Call it after the access check and before loading
    the results: the commits expire what the session holds, and a read that cannot be
    recorded is not shown (the exception stops the request).
    """
    facts: dict = {"via": via}
    if parent is not None:
        facts["parent_id"] = parent.id
    if result is not None:
        facts["result_id"] = result.id
        record_id = str(result.id)  # a test_results row, like the trail's other rows
    elif parent is not None:
        record_id = f"parent:{parent.id}"
    else:
        record_id = f"case:{case.id}"
    event = record_read(VIEW, "test_results", record_id, case.id, facts)
    db.session.commit()
    return event
