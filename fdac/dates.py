"""Dates and times as the court sees them: stored in UTC, shown in Europe/London.

Rules never call date.today(): callers pass `today`/`now` in; these helpers give the defaults.
"""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def utc_now() -> datetime:
    return datetime.now(UTC)


def london_today(now: datetime | None = None) -> date:
    """The calendar date in England and Wales at the instant `now` (default: this instant)."""
    return (now or utc_now()).astimezone(LONDON).date()


def uk_date(value: date | datetime | None) -> str:
    """'3 March 2027': the form GOV.UK and the courts use (no leading zero, full month)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(LONDON).date()
    return f"{value.day} {value:%B %Y}"


def uk_datetime(value: datetime | None) -> str:
    """'3 March 2027 at 2:05pm', in Europe/London whatever the server's zone."""
    if value is None:
        return ""
    local = value.astimezone(LONDON)
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    return f"{uk_date(local)} at {hour}:{local:%M}{suffix}"


def uk_time(value: time | None) -> str:
    """'10:30am', '2:05pm', '12:00pm': a London wall-clock time as GOV.UK writes it."""
    if value is None:
        return ""
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}:{value:%M}{suffix}"
