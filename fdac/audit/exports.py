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


def _record(table: str, record_id: int, case_id: int | None, facts: dict) -> AuditEvent:
    """An export's audit row, each fact as an insert's {field: [None, value]}."""
    actor_id, actor_label = current_actor()
    event = AuditEvent(
        at=utc_now(),
        actor_id=actor_id,
        actor_label=actor_label,
        action=EXPORT,
        table_name=table,
        record_id=str(record_id),
        case_id=case_id,
        changes={name: [None, value] for name, value in facts.items()},
    )
    db.session.add(event)
    return event


def record_export(case, format: str, first: date, last: date, anonymised: bool) -> AuditEvent:
    """Add the audit row of one export of `case` to the session; the caller commits."""
    facts = {"format": format, "from": first.isoformat(), "to": last.isoformat()}
    return _record("cases", case.id, case.id, facts | {"anonymised": anonymised})


def record_programme_export(team, year: int) -> AuditEvent:
    """Add the audit row of one programme-wide export (every case of `team` over `year`,
    always anonymised) to the session; the caller commits. It is about no one case."""
    facts = {"format": "xlsx", "team": team.name, "year": year, "anonymised": True}
    return _record("teams", team.id, None, facts)
