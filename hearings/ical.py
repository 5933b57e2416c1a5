"""iCalendar (.ics) feeds of hearings, built with the `icalendar` library.

Events carry the hearing's kind and the FDAC reference, never a family's names: a calendar
leaves the system (phones, shared mailboxes, sync services), and the reference is enough for
the team to find the family once signed in (docs/decisions/0014-calendar-feeds.md).
Times are written with TZID=Europe/London and the zone's VTIMEZONE, so a 10am review stays
10am in London on both sides of the clock changes.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from icalendar import Calendar, Event

from fdac.dates import LONDON

PRODID = "-//FDAC Manager//Hearings//EN"
# How often a calendar client should fetch the feed again (a hint; Outlook decides for itself).
REFRESH_EVERY = timedelta(hours=1)


@dataclass(frozen=True)
class FeedEvent:
    hearing_id: int
    kind_short: str  # "NLR", "FCMH"
    reference: str  # the FDAC reference, "FDAC-2026-0007"
    day: date  # a London calendar date
    starts_at: time  # London wall-clock time
    duration_minutes: int
    court: str = ""
    judge: str = ""
    kind_label: str = ""
    cancelled: bool = False

    @property
    def uid(self) -> str:
        # Stable per hearing, so a moved hearing moves in the person's calendar.
        return f"hearing-{self.hearing_id}@fdac-manager"

    @property
    def summary(self) -> str:
        return f"{self.kind_short} – {self.reference}"

    @property
    def start(self) -> datetime:
        return datetime.combine(self.day, self.starts_at, tzinfo=LONDON)

    @property
    def end(self) -> datetime:
        # Wall-clock arithmetic: a 30-minute review ends 30 minutes later in London.
        return self.start + timedelta(minutes=self.duration_minutes)


def feed_event(hearing) -> FeedEvent:
    """A booked `Hearing` (with its case, team and judge loaded) as a feed event."""
    return FeedEvent(
        hearing_id=hearing.id,
        kind_short=hearing.kind.short,
        reference=hearing.case.reference,
        day=hearing.day,
        starts_at=hearing.starts_at,
        duration_minutes=hearing.duration_minutes,
        court=hearing.case.team.court_name,
        judge=hearing.judge.name if hearing.judge else "",
        kind_label=hearing.kind.label,
        cancelled=hearing.is_cancelled,
    )


def build_calendar(events: Iterable[FeedEvent], *, name: str, now: datetime) -> bytes:
    """The .ics text for `events`; `now` stamps them (DTSTAMP)."""
    events = list(events)
    calendar = Calendar.new(
        prodid=PRODID,
        uid="hearings@fdac-manager",
        name=name,
        method="PUBLISH",
    )
    # RFC 7986 asks for VALUE=DURATION on the refresh hint; Outlook reads X-PUBLISHED-TTL.
    calendar.add("refresh-interval", REFRESH_EVERY, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    for item in events:
        description = item.kind_label
        if item.judge:
            description += f"\nJudge: {item.judge}"
        event = Event.new(
            uid=item.uid,
            stamp=now,
            summary=item.summary,
            start=item.start,
            end=item.end,
            location=item.court or None,
            description=description or None,
            status="CANCELLED" if item.cancelled else "CONFIRMED",
        )
        calendar.add_component(event)
    if events:
        days = [e.day for e in events]
        # The zone's rules over the feed's span only: a short VTIMEZONE, every change covered.
        calendar.add_missing_timezones(
            first_date=min(days) - timedelta(days=366), last_date=max(days) + timedelta(days=366)
        )
    return calendar.to_ical()
