"""The lists behind the dashboard's weekly figures: filters, weeks, paging, empty states."""

from datetime import date, time, timedelta

import pytest

from testing_results.panels import Matrix
from tests import factories
from tests.dashboard.helpers import TODAY, add_contact, add_test, follow, set_today, text

MONDAY = date(2027, 6, 7)


@pytest.fixture
def manager(signed_in, monkeypatch):
    set_today(monkeypatch)
    return signed_in("team_manager")


@pytest.fixture
def kelly(team):
    case = factories.make_case(team, reference="FDAC-2027-0007")
    return factories.add_parent(case, "Kelly Ashworth")


def _rows(page, table: str) -> list[str]:
    return [text(row) for row in page.select(f"#{table} tr.app-listed")]


def test_tests_filter_by_test_and_by_taken_or_not(manager, kelly):
    add_test(kelly, MONDAY)
    add_test(kelly, MONDAY + timedelta(days=1), matrix=Matrix.URINE)
    add_test(kelly, TODAY, status="unable_to_provide", matrix=Matrix.URINE)

    urine = manager.get("dashboard.tests", matrix="urine")
    assert text(urine.select_one("#tests-count")) == "2 tests matching the filters, newest first"
    assert [row.split(" FDAC")[0] for row in _rows(urine, "tests-table")] == [
        "9 June 2027 : Urine (screen) for Kelly Ashworth",
        "8 June 2027 : Urine (screen) for Kelly Ashworth",
    ]
    taken = manager.get("dashboard.tests", matrix="urine", taken="yes")
    assert len(_rows(taken, "tests-table")) == 1
    hair = manager.get("dashboard.tests", matrix="hair")
    assert text(hair.select_one("#no-tests")) == "No tests match these filters in this week."
    clear = hair.find("a", string="Clear filters")
    assert len(_rows(follow(manager, clear["href"]), "tests-table")) == 3


def test_weeks_step_back_and_forward_keeping_the_filters(manager, kelly):
    add_test(kelly, MONDAY - timedelta(days=3), status="missed")
    add_test(kelly, MONDAY - timedelta(days=2))

    page = manager.get("dashboard.tests", taken="no")
    assert page.select_one("#no-tests") is not None
    assert page.select_one("h1").get_text(strip=True) == "Tests this week"

    previous = follow(manager, page.find("a", string="Previous week")["href"])

    assert previous.select_one("h1").get_text(strip=True) == (
        "Tests this week: week of 31 May 2027"
    )
    assert text(previous.select_one(".govuk-caption-l")) == (
        "Monday 31 May 2027 to Sunday 6 June 2027"
    )
    assert len(_rows(previous, "tests-table")) == 1  # still only the tests not taken
    back = follow(manager, previous.find("a", string="This week")["href"])
    assert back.select_one("#no-tests") is not None


def test_a_date_in_the_week_shows_that_whole_week(manager, kelly):
    add_contact(kelly, MONDAY - timedelta(days=6))  # Tuesday 1 June

    page = manager.get("dashboard.contacts", week="2027-06-04")  # a Friday

    assert len(_rows(page, "contacts-table")) == 1
    broken = manager.get("dashboard.contacts", week="not-a-date")  # falls back to this week
    assert broken.select_one("#no-contacts") is not None


def test_contacts_filter_by_what_happened_and_say_when_nothing_matches(manager, kelly):
    add_contact(kelly, MONDAY, time(9), outcome="attended")
    add_contact(kelly, TODAY, time(9), outcome="cancelled_by_team")

    page = manager.get("dashboard.contacts", outcome="cancelled_by_team")
    assert _rows(page, "contacts-table")[0].startswith("9 June 2027 at 9:00am")
    assert len(_rows(page, "contacts-table")) == 1
    assert "FDAC-2027-0007" in _rows(page, "contacts-table")[0]

    none = manager.get("dashboard.contacts", outcome="did_not_attend")
    assert text(none.select_one("#no-contacts")) == "No contacts match this filter in this week."


def test_long_lists_are_paged(manager, kelly, monkeypatch):
    monkeypatch.setattr("fdac.dashboard.views.PER_PAGE", 2)
    for hour in (9, 10, 11, 12, 13):
        add_contact(kelly, MONDAY, time(hour))

    first = manager.get("dashboard.contacts")
    assert text(first.select_one("#contacts-count")) == "5 contacts, newest first"
    assert len(_rows(first, "contacts-table")) == 2
    last = manager.get("dashboard.contacts", page=3)
    assert _rows(last, "contacts-table")[0].startswith("7 June 2027 at 9:00am")
    assert len(_rows(last, "contacts-table")) == 1


def test_another_teams_tests_and_contacts_are_never_listed(manager):
    theirs = factories.add_parent(factories.make_case(factories.make_team()), "Sam Other")
    add_test(theirs, TODAY)
    add_contact(theirs, TODAY)

    assert manager.get("dashboard.tests").select_one("#no-tests") is not None
    assert manager.get("dashboard.contacts").select_one("#no-contacts") is not None


@pytest.mark.parametrize("endpoint", ["dashboard.tests", "dashboard.contacts"])
def test_lists_have_one_heading_unique_ids_and_a_title(manager, endpoint):
    page = manager.get(endpoint)
    ids = [tag["id"] for tag in page.select("[id]")]
    assert len(ids) == len(set(ids))
    assert len(page.select("h1")) == 1
    assert page.title.get_text(strip=True) == (
        f"{'Tests' if endpoint.endswith('tests') else 'Contacts'} in the week of 7 June 2027"
        " – FDAC Manager"
    )
