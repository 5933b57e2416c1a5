"""Exports in the audit trail: who took which case's report out of the system, for which
period, in which format, anonymised or not.

An export changes no record, so the session hook (recorder.py) never sees it; this writes the
same kind of row by hand. Its changes keep the trail's shape, {field: [before, after]}, with
nothing before, so the case's history page lists it like an insert.
"""

from datetime import date

from fdac.audit.models import AuditEvent
from fdac.audit.recorder import current_actor
from fdac.dates import utc_now
from fdac.extensions import db

EXPORT = "export"


def record_export(case, format: str, first: date, last: date, anonymised: bool) -> AuditEvent:
    """Add the audit row of one export of `case` to the session; the caller commits."""
    actor_id, actor_label = current_actor()
    event = AuditEvent(
        at=utc_now(),
        actor_id=actor_id,
        actor_label=actor_label,
        action=EXPORT,
        table_name="cases",
        record_id=str(case.id),
        case_id=case.id,
        changes={
            "format": [None, format],
            "from": [None, first.isoformat()],
            "to": [None, last.isoformat()],
            "anonymised": [None, anonymised],
        },
    )
    db.session.add(event)
    return event


def record_programme_export(team, year: int) -> AuditEvent:
    """Add the audit row of one programme-wide export (every case of `team` over `year`,
    always anonymised) to the session; the caller commits. It is about no one case."""
    actor_id, actor_label = current_actor()
    event = AuditEvent(
        at=utc_now(),
        actor_id=actor_id,
        actor_label=actor_label,
        action=EXPORT,
        table_name="teams",
        record_id=str(team.id),
        case_id=None,
        changes={
            "format": [None, "xlsx"],
            "team": [None, team.name],
            "year": [None, year],
            "anonymised": [None, True],
        },
    )
    db.session.add(event)
    return event
