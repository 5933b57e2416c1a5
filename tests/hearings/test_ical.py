"""The iCalendar feed: London times across the clock changes, and who sees what through a link."""

from datetime import UTC, date, datetime, time, timedelta

import icalendar
import pytest
from flask import url_for
from sqlalchemy import select

from fdac.dates import london_today, utc_now
from fdac.extensions import db
from hearings import feeds
from hearings.ical import FeedEvent, build_calendar
from hearings.kinds import HearingStatus
from hearings.models import CalendarFeed
from tests import factories

NOW = datetime(2027, 1, 4, 12, tzinfo=UTC)


def parsed(body: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(body)


# Clocks go forward on 28 March 2027 and back on 31 October 2027.
@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [
        (date(2027, 3, 1), 10),  # GMT
        (date(2027, 3, 26), 10),  # the Friday before the change
        (date(2027, 3, 29), 9),  # the Monday after: BST
        (date(2027, 3, 30), 9),
        (date(2027, 10, 25), 9),  # still BST
        (date(2027, 11, 1), 10),  # GMT again
    ],
)
def test_a_10am_hearing_is_10am_in_london_either_side_of_the_clock_changes(day, utc_hour):
    event = FeedEvent(1, "NLR", "FDAC-2026-0007", day, time(10), 30)

    calendar = parsed(build_calendar([event], name="FDAC hearings", now=NOW))

    [vevent] = calendar.events
    assert vevent["DTSTART"].params["TZID"] == "Europe/London"
    assert vevent.start.astimezone(UTC) == datetime.combine(day, time(utc_hour), tzinfo=UTC)
    assert vevent.end - vevent.start == timedelta(minutes=30)
    # The zone's own definition travels with the feed, for clients that do not know the name.
    [zone] = calendar.timezones
    assert zone.tz_name == "Europe/London"
    own_rules = zone.to_tz(lookup_tzid=False)
    start = datetime.combine(day, time(10), tzinfo=own_rules)
    assert start.astimezone(UTC).hour == utc_hour


def test_an_event_names_the_kind_and_reference_court_and_judge():
    event = FeedEvent(
        42, "NLR", "FDAC-2026-0007", date(2027, 3, 1), time(10, 30), 30,
        court="East London Family Court", judge="HHJ Patel", kind_label="Non-lawyer review (NLR)",
    )  # fmt: skip

    [vevent] = parsed(build_calendar([event], name="FDAC hearings", now=NOW)).events

    assert str(vevent["UID"]) == "hearing-42@fdac-manager"
    assert str(vevent["SUMMARY"]) == "NLR – FDAC-2026-0007"
    assert str(vevent["LOCATION"]) == "East London Family Court"
    assert "HHJ Patel" in str(vevent["DESCRIPTION"])


# --- The feed through its secret link ------------------------------------------------------


@pytest.fixture
def court(team):
    """Two judges of the team, each with a case and a hearing next week; another team's case."""
    soon = london_today() + timedelta(days=7)
    patel = factories.make_user("judge", team=team, name="HHJ Patel")
    okafor = factories.make_user("judge", team=team, name="HHJ Okafor")
    mine = factories.make_case(team, judge_id=patel.id)
    factories.add_parent(mine, "Kelly Ashworth")
    theirs = factories.make_case(team, judge_id=okafor.id)
    other_team = factories.make_team()
    elsewhere = factories.make_case(other_team, judge_id=factories.make_user("judge").id)
    return {
        "patel": patel,
        "mine": factories.add_hearing(mine, soon),
        "theirs": factories.add_hearing(theirs, soon, starts_at=time(11)),
        "elsewhere": factories.add_hearing(elsewhere, soon),
    }


def fetch(client, token, status=200):
    response = client.raw.get(url_for("calendar.feed", token=token))
    assert response.status_code == status
    return response


def uids(response) -> set[str]:
    return {str(e["UID"]) for e in parsed(response.data).events}


def test_a_judges_feed_has_their_cases_hearings_only(client, court):
    token = feeds.create_feed(court["patel"], utc_now())

    response = fetch(client, token)

    assert response.mimetype == "text/calendar"
    assert response.headers["Cache-Control"] == "no-store"
    assert uids(response) == {f"hearing-{court['mine'].id}@fdac-manager"}
    assert b"Ashworth" not in response.data  # no family names leave the system
    assert court["mine"].case.reference.encode() in response.data


def test_a_managers_feed_has_the_teams_hearings_and_never_another_teams(client, court, team):
    manager = factories.make_user("team_manager", team=team)
    token = feeds.create_feed(manager, utc_now())

    assert uids(fetch(client, token)) == {
        f"hearing-{court['mine'].id}@fdac-manager",
        f"hearing-{court['theirs'].id}@fdac-manager",
    }


def test_the_feed_covers_eight_weeks_back_to_26_weeks_ahead_without_cancelled(client, team):
    judge = factories.make_user("judge", team=team)
    today = london_today()
    booked = {}
    for name, offset in [("too old", -57), ("old", -56), ("ahead", 182), ("too far", 183)]:
        case = factories.make_case(team, judge_id=judge.id)
        booked[name] = factories.add_hearing(case, today + timedelta(days=offset))
    cancelled = factories.add_hearing(
        factories.make_case(team, judge_id=judge.id), today, status=HearingStatus.CANCELLED
    )
    token = feeds.create_feed(judge, utc_now())

    found = uids(fetch(client, token))

    assert found == {f"hearing-{booked[n].id}@fdac-manager" for n in ("old", "ahead")}
    assert f"hearing-{cancelled.id}@fdac-manager" not in found


def test_an_unknown_or_revoked_link_is_not_found(client, court):
    token = feeds.create_feed(court["patel"], utc_now())
    fetch(client, "not-a-real-token", 404)

    feeds.revoke_feed(court["patel"], utc_now())

    fetch(client, token, 404)


def test_a_new_link_stops_the_old_one(client, court):
    old = feeds.create_feed(court["patel"], utc_now())
    new = feeds.create_feed(court["patel"], utc_now())

    fetch(client, old, 404)
    fetch(client, new, 200)


def test_a_deactivated_persons_link_stops_working(client, court):
    token = feeds.create_feed(court["patel"], utc_now())
    court["patel"].active = False
    db.session.commit()

    fetch(client, token, 404)


def test_only_the_tokens_hash_is_stored_and_use_is_recorded(client, court):
    token = feeds.create_feed(court["patel"], utc_now())

    fetch(client, token)

    feed = db.session.scalar(select(CalendarFeed))
    assert feed.token_hash == feeds.token_hash(token) != token
    assert len(feed.token_hash) == 64
    assert feed.last_used_at is not None
