"""In a real browser: a keyworker records a missed contact and corrects another to missed, and
the case's compliance drops; a manager confirms a graduation and downloads the certificate."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from fdac.cases.phases import Outcome, Phase
from fdac.contacts.compliance import week_start
from fdac.dates import london_today, uk_date
from tests import factories
from tests.browser.test_create_case_in_browser import fill_date
from tests.contacts.caseload_helpers import add_contact
from tests.pdf import pdf_text

pytestmark = pytest.mark.browser


def test_keyworker_records_a_missed_contact_and_compliance_drops(page: Page, sign_in, team):
    keyworker = factories.make_user("practitioner", team=team, name="Priya Shah")
    today = london_today()
    this_monday = week_start(today)
    case = factories.make_case(
        team, keyworker_id=keyworker.id, entered_on=this_monday - timedelta(weeks=6)
    )
    parent = factories.add_parent(case, "Kelly Ashworth")
    # Two attended contacts in each of the last four complete weeks: on target.
    for weeks_back in range(1, 5):
        monday = this_monday - timedelta(weeks=weeks_back)
        add_contact(parent, monday + timedelta(days=1))
        add_contact(parent, monday + timedelta(days=3))
    last_week = this_monday - timedelta(weeks=1)
    sign_in(keyworker)

    page.goto(f"/cases/{case.reference}")
    compliance = page.locator("#contact-compliance")
    row = compliance.get_by_role("row").filter(has_text="Kelly Ashworth")
    expect(row).to_contain_text("8 of 8 (100%)")
    expect(row.locator("td").nth(2)).to_have_text("0")

    # A missed home visit last Friday.
    page.get_by_role("link", name="Record a contact").click()
    page.get_by_role("radio", name="Kelly Ashworth").check()
    friday = last_week + timedelta(days=4)
    fill_date(page, "day", str(friday.day), str(friday.month), str(friday.year))
    page.get_by_label("Time").fill("2pm")
    page.get_by_role("radio", name="Home visit").check()
    page.get_by_label("Length").fill("30")
    page.get_by_role("radio", name="Did not attend").check()
    page.get_by_role("button", name="Save contact").click()
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    expect(page.locator("#main-content")).to_contain_text("Did not attend")

    # Last Thursday's visit did not happen either: the keyworker corrects it.
    page.goto(f"/cases/{case.reference}/contacts")
    thursday = uk_date(last_week + timedelta(days=3))
    page.get_by_role("link", name=re.compile(thursday)).first.click()
    page.get_by_role("link", name="Change the contact").click()
    page.get_by_role("radio", name="Did not attend").check()
    page.get_by_role("checkbox", name="Priya Shah").check()  # seeded without who took part
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    expect(page.get_by_text("The earlier details are kept in the case history")).to_be_visible()

    page.goto(f"/cases/{case.reference}")
    row = page.locator("#contact-compliance").get_by_role("row").filter(has_text="Kelly Ashworth")
    expect(row).to_contain_text("7 of 8 (88%)")
    expect(row.locator("td").nth(2)).to_have_text("2")


def test_manager_confirms_a_graduation_and_downloads_the_certificate(
    page: Page, sign_in, team, tmp_path
):
    manager = factories.make_user("team_manager", team=team)
    judge = factories.make_user("judge", team=team, name="HHJ Eleanor Marsh")
    case = factories.make_case(
        team,
        judge_id=judge.id,
        phase=Phase.CLOSED,
        outcome=Outcome.REUNIFIED,
        entered_on=london_today() - timedelta(weeks=40),
    )
    factories.add_parent(case, "Kelly Ashworth")
    sign_in(manager)

    page.goto(f"/cases/{case.reference}/graduation")
    page.get_by_role("button", name=re.compile("Confirm graduation")).click()
    today = london_today()
    fill_date(page, "graduated_on", str(today.day), str(today.month), str(today.year))
    page.get_by_label("Note").fill("Reunified with Alfie; tests through the trial were clear")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Yes, confirm the graduation").click()
    expect(page.locator("#main-content")).to_contain_text(f"Graduated on {uk_date(today)}")

    page.get_by_role("link", name=re.compile("in the graduates' group")).click()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download the certificate (PDF)").click()
    saved = tmp_path / "certificate.pdf"
    download_info.value.save_as(saved)
    text = pdf_text(saved.read_bytes(), tmp_path)
    for words in ("Kelly Ashworth", uk_date(today), team.name, "HHJ Eleanor Marsh"):
        assert words in text, words
