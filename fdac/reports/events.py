"""Notable events of a period for the judge's summary: phase changes, positive and missed
tests, new prescriptions, hearings moved or cancelled. Oldest first."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from fdac.cases.models import Case, PhaseChange
from fdac.dates import LONDON, uk_date
from fdac.extensions import db
from hearings.models import HearingChange


@dataclass(frozen=True)
class Event:
    on: date
    kind: str  # "Phase", "Test", "Prescription", "Hearing"
    text: str


def _phase_events(case: Case, first: date, last: date) -> list[Event]:
    changes = db.session.scalars(
        select(PhaseChange)
        .where(
            PhaseChange.case_id == case.id,
            PhaseChange.changed_on >= first,
            PhaseChange.changed_on <= last,
        )
        .order_by(PhaseChange.changed_on, PhaseChange.id)
    )
    return [
        Event(
            c.changed_on,
            "Phase",
            f"Moved from {c.from_phase.label} to {c.to_phase.label}"
            if c.from_phase
            else f"Case opened in {c.to_phase.label}",
        )
        for c in changes
    ]


def _test_events(parent, testing, first: date, last: date) -> list[Event]:
    events = []
    for item in testing.series:
        day = item.sample.collected_on
        if first <= day <= last and item.overall.counts_as_positive:
            test = item.sample.matrix.label
            events.append(
                Event(day, "Test", f"{parent.name}: {test}: {item.interpretation.summary}")
            )
    for p in testing.prescriptions:
        if first <= p.starts_on <= last:
            dose = f", {p.dose}" if p.dose else ""
            what = f"{p.medication}{dose} prescribed (explains {p.substance.label})"
            events.append(Event(p.starts_on, "Prescription", f"{parent.name}: {what}"))
    return events


def _london_instant(day: date) -> datetime:
    return datetime.combine(day, time(0), LONDON).astimezone(UTC)


def _hearing_events(case: Case, first: date, last: date) -> list[Event]:
    changes = db.session.scalars(
        select(HearingChange)
        .where(
            HearingChange.case_id == case.id,
            HearingChange.changed_at >= _london_instant(first),
            HearingChange.changed_at < _london_instant(last + timedelta(days=1)),
        )
        .options(joinedload(HearingChange.hearing))
        .order_by(HearingChange.changed_at, HearingChange.id)
    )
    events = []
    for c in changes:
        what = f"{c.hearing.kind.label} of {uk_date(c.from_day)}"
        if c.change == "cancelled":
            text = f"{what} cancelled"
        else:
            text = f"{what} moved to {uk_date(c.to_day)}"
        if c.reason:
            text += f": {c.reason}"
        events.append(Event(c.changed_at.astimezone(LONDON).date(), "Hearing", text))
    return events


def period_events(case: Case, testings: dict, first: date, last: date) -> list[Event]:
    """`testings`: {parent id: (parent, services.ParentTesting)} already loaded."""
    events = _phase_events(case, first, last) + _hearing_events(case, first, last)
    for parent, testing in testings.values():
        events += _test_events(parent, testing, first, last)
    return sorted(events, key=lambda e: e.on)
