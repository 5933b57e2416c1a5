"""In a real browser: a judge opens today's list, reads a family's progress summary for the
period since the last review, and downloads it as a PDF for the court file."""

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from fdac.dates import london_today, uk_date
from hearings.kinds import HearingStatus
from testing_results.interpret import Status
from tests import factories
from tests.pdf import pdf_text
from tests.reports.test_summary import add_breath, hold

pytestmark = pytest.mark.browser


def test_judge_goes_from_the_days_list_to_the_summary_and_downloads_the_pdf(
    page: Page, sign_in, team, tmp_path
):
    judge = factories.make_user("judge", team=team, name="HHJ Patel")
    today = london_today()
    last_review = today - timedelta(days=14)
    case = factories.make_case(
        team,
        judge_id=judge.id,
        entered_on=today - timedelta(weeks=10),
        issued_on=today - timedelta(weeks=11),
        court_case_number="ZW26C00042",
    )
    kelly = factories.add_parent(case, "Kelly Ashworth")
    hold(case, last_review, "Kelly to attend every test")
    factories.add_hearing(case, today, status=HearingStatus.PLANNED)
    add_breath(kelly, last_review + timedelta(days=2))
    add_breath(kelly, last_review + timedelta(days=5), "20")
    add_breath(kelly, last_review + timedelta(days=9), status=Status.MISSED)
    before = add_breath(kelly, last_review - timedelta(days=3), "35")  # before the period
    sign_in(judge)

    # A judge starts on their own list for today.
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Your list for {uk_date(today)}")
    family = page.get_by_role("row").filter(has_text=case.reference)
    expect(family).to_contain_text("Kelly to attend every test")
    family.get_by_role("link", name="Progress summary").click()

    # The period since the last review, in plain English.
    period = f"{uk_date(last_review + timedelta(days=1))} to {uk_date(today)}"
    main = page.locator("#main-content")
    expect(main).to_contain_text(period)
    expect(main).to_contain_text("Alcohol detected")
    expect(main).to_contain_text("Missed (did not attend)")
    expect(main).to_contain_text("Kelly to attend every test")
    expect(main).not_to_contain_text(uk_date(before.collected_on))

    with page.expect_download() as download_info:
        page.locator("#download-pdf").click()
    download = download_info.value
    assert download.suggested_filename.startswith(f"{case.reference}-summary-")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    text = pdf_text(saved.read_bytes(), tmp_path)
    assert team.court_name in text
    assert "ZW26C00042" in text and "HHJ Patel" in text
    assert f"Progress summary for {period}" in text
    assert "Page 1 of" in text
    assert "Alcohol detected" in text
