"""Route rows: the hearings calendar, the day's list and the iCalendar feeds."""

from tests.auth.route_rows import CALENDAR_READERS

ROWS: dict = {
    "calendar.index": ("GET", {}, CALENDAR_READERS),
}
