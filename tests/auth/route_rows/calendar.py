"""Route rows: the hearings calendar, the day's list and the iCalendar feeds."""

from fdac.dates import utc_now
from hearings import feeds
from tests.auth.route_rows import CALENDAR_READERS, _row

EVERYONE = _row(200, 200, 200, 200, 200)

ROWS: dict = {
    "calendar.index": ("GET", {}, CALENDAR_READERS),
    "calendar.day": ("GET", {}, CALENDAR_READERS),
    "calendar.feeds": ("GET", {}, CALENDAR_READERS),
    "calendar.create_feed": ("GET", {}, CALENDAR_READERS),
    # Only the world's judge has a link (world_values below): the others are sent back to
    # the feeds page, as there is nothing for them to revoke.
    "calendar.revoke_feed": (
        "GET",
        {},
        _row(team_manager=302, practitioner=302, judge=200),
    ),
    # Public: a calendar client cannot sign in. The answer depends on the token, not on who
    # is signed in (the signed-in roles are other people than the feed's owner).
    "calendar.feed": ("GET", {"token": "feed_token"}, EVERYONE),
}


def fixed_values(people, values) -> dict:
    return {"feed_token": feeds.create_feed(people["judge"], utc_now())}
