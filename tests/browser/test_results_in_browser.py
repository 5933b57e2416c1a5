"""A substance misuse worker records a contact's screens and sees the parent's trend change."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from fdac.dates import london_today
from tests import factories

pytestmark = pytest.mark.browser


def _summary(page, label: str):
    return (
        page.locator("#trend-summary .govuk-summary-list__row")
        .filter(has=page.get_by_text(label, exact=True))
        .locator("dd")
    )


def test_worker_enters_a_point_of_care_set_and_sees_the_trend_change(page, sign_in, team):
    case = factories.make_case(team, entered_on=london_today() - timedelta(days=30))
    parent = factories.add_parent(case, "Jade Carver")
    sign_in(factories.make_user("practitioner", team=team))

    page.goto(f"/cases/{case.reference}")
    page.get_by_role("link", name=re.compile(r"Jade Carver\s*: test results")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Test results for Jade Carver")
    expect(page.get_by_text("No test results in this period yet.")).to_be_visible()

    page.get_by_role("button", name="Record screens at a contact").click()
    # The date defaults to today; the collection was observed.
    page.get_by_role("group", name="Was the collection observed?").get_by_label("Yes").check()
    breath = page.get_by_role("group", name="Did the breath alcohol test happen?")
    breath.get_by_label("Test taken").check()
    page.get_by_label("Reading (µg/100mL)").fill("0")
    urine = page.get_by_role("group", name="Did the urine test happen?")
    urine.get_by_label("Test taken").check()
    page.locator("#urine_cocaine").select_option("positive")
    page.locator("#urine_cannabis").select_option("negative")
    page.get_by_role("button", name="Save results").click()

    expect(page.get_by_text("2 results saved")).to_be_visible()
    expect(_summary(page, "Tests")).to_have_text("2")
    expect(_summary(page, "Positive")).to_have_text("1")
    expect(_summary(page, "Negative")).to_have_text("1")
    expect(page.locator("#results-table")).to_contain_text("Positive for Cocaine")
    # The charts and the coverage strip are drawn as SVG with their data beside them.
    expect(page.locator("svg[id$='-chart-cocaine']")).to_be_visible()
    expect(page.locator("svg[id$='-coverage']")).to_be_visible()
    assert parent.id  # the parent the page was about
