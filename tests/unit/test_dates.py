from datetime import UTC, date, datetime

from fdac.dates import london_today, uk_date, uk_datetime


def test_dates_read_as_the_court_writes_them():
    assert uk_date(date(2027, 3, 3)) == "3 March 2027"
    assert uk_date(None) == ""


def test_times_are_shown_in_london_on_both_sides_of_the_clock_change():
    winter = datetime(2026, 1, 15, 14, 5, tzinfo=UTC)
    summer = datetime(2026, 7, 15, 14, 5, tzinfo=UTC)  # BST: an hour ahead of UTC
    assert uk_datetime(winter) == "15 January 2026 at 2:05pm"
    assert uk_datetime(summer) == "15 July 2026 at 3:05pm"


def test_late_evening_utc_in_summer_is_already_tomorrow_in_london():
    assert london_today(datetime(2026, 6, 30, 23, 30, tzinfo=UTC)) == date(2026, 7, 1)
    assert london_today(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == date(2026, 12, 31)
