"""A team manager creates a case, adds its family and finds it in the list, in a real browser."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests import factories

pytestmark = pytest.mark.browser


def fill_date(page: Page, field: str, day: str, month: str, year: str) -> None:
    """Type into a GOV.UK date input's three boxes (ids like entered_on-day)."""
    page.locator(f"#{field}-day").fill(day)
    page.locator(f"#{field}-month").fill(month)
    page.locator(f"#{field}-year").fill(year)


def test_manager_creates_a_case_adds_its_family_and_finds_it_in_the_list(page, sign_in, team):
    manager = factories.make_user("team_manager", team=team, name="Morgan Lake")
    sign_in(manager)
    # A manager starts on the home page (flags and today's hearings); cases are one link away.
    expect(page.get_by_role("heading", level=1)).to_have_text(team.name)
    page.get_by_role("navigation").get_by_role("link", name="Cases").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cases")

    # Create the case. The reference is suggested; the issue date is left empty (pre-proceedings).
    page.get_by_role("button", name="Create a case").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create a case")
    reference_box = page.get_by_label("FDAC reference")
    expect(reference_box).to_have_value(re.compile(r"^FDAC-\d{4}-\d{4}$"))
    reference = reference_box.input_value()
    page.get_by_label("Court case number").fill("zw26c00999")  # typed loosely on purpose
    page.get_by_label("Local authority").fill("Riverside Borough Council")
    fill_date(page, "entered_on", "10", "3", "2026")
    page.get_by_role("button", name="Create case").click()

    # The new case's page.
    expect(page).to_have_url(re.compile(rf"/cases/{reference}$"))
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    expect(page.get_by_text(f"{reference} · ZW26C00999")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Family not yet recorded")
    expect(page.get_by_text("Not yet issued (pre-proceedings)")).to_be_visible()
    expect(page.get_by_text("No parents recorded yet.")).to_be_visible()

    # Add a parent.
    page.get_by_role("link", name="Add a parent").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a parent")
    page.get_by_label("Full name").fill("Kelly Ashworth")
    fill_date(page, "date_of_birth", "27", "3", "1994")
    page.get_by_role("radio", name="Mother").check()
    page.get_by_role("button", name="Save parent").click()

    expect(page).to_have_url(re.compile(rf"/cases/{reference}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Kelly Ashworth")
    parents = page.get_by_role("table", name="Parents")
    expect(parents).to_contain_text("Kelly Ashworth")
    expect(parents).to_contain_text("Mother")
    expect(parents).to_contain_text("27 March 1994")

    # Add a child.
    page.get_by_role("link", name="Add a child").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a child")
    page.get_by_label("Full name").fill("Alfie Ashworth")
    fill_date(page, "date_of_birth", "1", "5", "2022")
    page.get_by_label("Where the child lives now").select_option(label="Foster care")
    page.get_by_label("Legal status").select_option(label="Interim care order")
    page.get_by_role("button", name="Save child").click()

    expect(page).to_have_url(re.compile(rf"/cases/{reference}$"))
    children = page.get_by_role("table", name="Children")
    expect(children).to_contain_text("Alfie Ashworth")
    expect(children).to_contain_text("1 May 2022")
    expect(children).to_contain_text("Foster care")
    expect(children).to_contain_text("Interim care order")

    # Back to the list through the service navigation.
    page.get_by_role("navigation").get_by_role("link", name="Cases", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cases")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=reference))
    expect(row).to_have_count(1)
    expect(row).to_contain_text("ZW26C00999")
    expect(row).to_contain_text("Kelly Ashworth")
    expect(row).to_contain_text("Referral")
    expect(row).to_contain_text("10 March 2026")
