"""Exports in the audit trail: who took which case's report out of the system, for which
period, in which format, anonymised or not.

An export changes no record, so the session hook (recorder.py) never sees it; this writes the
same kind of row by hand (events.py), chained like every other (chain.py).
"""

from datetime import date

from fdac.audit.events import record_read
from fdac.audit.models import AuditEvent

EXPORT = "export"


def _record(table: str, record_id: int, case_id: int | None, facts: dict) -> AuditEvent:
    """An export's audit row, each fact as an insert's {field: [None, value]}: what was
    taken out and how, never the exported values. Ends the export's reading transaction first
    (events.record_read): an export changes nothing, so nothing is pending."""
    return record_read(EXPORT, table, record_id, case_id, facts)


def record_export(case, format: str, first: date, last: date, anonymised: bool) -> AuditEvent:
    """Add the audit row of one export of `case` to a fresh transaction; the caller commits."""
    facts = {"format": format, "from": first.isoformat(), "to": last.isoformat()}
    return _record("cases", case.id, case.id, facts | {"anonymised": anonymised})


def record_programme_export(team, year: int) -> AuditEvent:
    """Add the audit row of one programme-wide export (every case of `team` over `year`,
    always anonymised) to a fresh transaction; the caller commits. It is about no one case."""
    facts = {"format": "xlsx", "team": team.name, "year": year, "anonymised": True}
    return _record("teams", team.id, None, facts)
