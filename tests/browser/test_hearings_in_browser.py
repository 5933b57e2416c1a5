"""A team manager sets up the court, plans a family's reviews, closes the court on one review
day (the planner moves it and flags it), moves another review by hand and deals with the flag:
in a real browser, through the pages a manager uses."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from fdac.dates import london_today, uk_date
from hearings.calendar import bank_holiday_name, first_on_weekday
from tests import factories
from tests.browser.test_create_case_in_browser import fill_date

pytestmark = pytest.mark.browser


def _review_days():
    """The next Monday from which four fortnightly Mondays and the Mondays between them are
    ordinary court days, so the test reads the same whatever day it runs."""
    monday = first_on_weekday(london_today() + timedelta(days=1), 0)
    while any(bank_holiday_name(monday + timedelta(weeks=w)) for w in range(7)):
        monday += timedelta(weeks=1)
    return monday


def _fill_day(page: Page, field: str, day) -> None:
    fill_date(page, field, str(day.day), str(day.month), str(day.year))


def test_manager_books_the_court_plans_moves_and_sees_the_flag(page: Page, sign_in, team):
    manager = factories.make_user("team_manager", team=team, name="Morgan Lake")
    factories.make_user("judge", team=team, name="HHJ Marsh")
    first = _review_days()
    case = factories.make_case(team, entered_on=first - timedelta(days=3))
    factories.add_parent(case, "Kelly Ashworth")
    sign_in(manager)

    # The court sits on Mondays at 10am: six 30-minute slots before Judge Marsh.
    page.get_by_role("navigation").get_by_role("link", name="Settings").click()
    page.get_by_role("link", name="court set-up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Court set-up")
    page.get_by_role("link", name="Add a sitting").click()
    page.get_by_role("radio", name="Monday").check()
    page.get_by_label("Session start time").fill("10am")
    page.get_by_label("Slot length in minutes").fill("30")
    page.get_by_label("Number of slots").fill("6")
    page.get_by_label("Judge").select_option(label="HHJ Marsh")
    page.get_by_role("button", name="Save sitting").click()
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    expect(page.locator("#main-content")).to_contain_text("HHJ Marsh")

    # The case gets its judge, then its reviews are planned from its trial start.
    page.goto(f"/cases/{case.reference}/allocation")
    page.get_by_label("Judge").select_option(label="HHJ Marsh")
    page.get_by_role("button", name=re.compile("Save")).click()
    page.goto(f"/cases/{case.reference}/hearings")
    page.get_by_role("button", name="Plan reviews").click()
    _fill_day(page, "first_nlr_on", first)
    page.get_by_role("button", name="Plan reviews").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("reviews booked")
    upcoming = page.get_by_role("table", name=re.compile("Upcoming"))
    for weeks in (0, 2, 4):
        expect(upcoming).to_contain_text(uk_date(first + timedelta(weeks=weeks)))

    # The court closes on the second review's day: the planner moves it a week on, and says so.
    closed = first + timedelta(weeks=2)
    page.goto("/court")
    page.get_by_role("link", name="Add a closure day").click()
    _fill_day(page, "day", closed)
    page.get_by_label("Reason").fill("Staff training")
    page.get_by_role("button", name="Save closure day").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("1 review moved")

    # The manager moves the third review by hand, with a reason.
    page.goto(f"/cases/{case.reference}/hearings")
    third = first + timedelta(weeks=4)
    page.get_by_role("link", name=re.compile(rf"^{uk_date(third)}")).click()
    page.get_by_role("button", name="Move").click()
    _fill_day(page, "day", third + timedelta(weeks=1))
    page.get_by_label("Reason for the move").fill("The mother starts residential rehab that week")
    page.get_by_role("button", name="Move hearing").click()
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    expect(page.locator("#main-content")).to_contain_text(f"Moved from {uk_date(third)}")
    expect(page.locator("#main-content")).to_contain_text("residential rehab")

    # Home shows the planner's flag; the manager deals with it and it goes.
    page.get_by_role("navigation").get_by_role("link", name="Home").click()
    flag = page.locator("#main-content").get_by_role("row").filter(has_text=case.reference)
    expect(flag).to_contain_text(uk_date(closed))
    expect(flag).to_contain_text("court closed (Staff training)")
    flag.get_by_role("button", name=re.compile("Mark as dealt with")).click()
    expect(page.get_by_text("Nothing needs your attention.")).to_be_visible()
