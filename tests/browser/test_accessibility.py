"""axe-core, run in Chromium on the main pages, finds nothing serious or critical.

axe-playwright-python bundles axe-core (axe.min.js in the package) and injects it with
page.evaluate, so nothing is fetched from the network.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from fdac.extensions import db
from tests import factories

pytestmark = pytest.mark.browser

BLOCKING = ("serious", "critical")
_axe = Axe()


def assert_no_serious_violations(page: Page) -> None:
    results = _axe.run(page)
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING]
    report = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}\n"
        + "\n".join(f"    {', '.join(map(str, node['target']))}" for node in v["nodes"])
        for v in blocking
    )
    assert not blocking, f"axe found on {page.url}:\n{report}"


def test_sign_in_page(page):
    page.goto("/sign-in")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to FDAC Manager")
    assert_no_serious_violations(page)


def test_sign_in_page_showing_errors(page):
    page.goto("/sign-in")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_no_serious_violations(page)


def test_case_list_and_case_page(page, sign_in, team):
    case = factories.make_case(team)
    factories.add_parent(case, "Kelly Ashworth")
    factories.add_child(case, "Alfie Ashworth")
    reference = case.reference
    db.session.commit()
    sign_in(factories.make_user("team_manager", team=team))

    page.goto("/cases")
    expect(page.get_by_role("link", name=reference)).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=reference)).to_contain_text("Kelly Ashworth")
    assert_no_serious_violations(page)

    page.get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kelly Ashworth")
    expect(page.get_by_role("table", name="Children")).to_contain_text("Alfie Ashworth")
    assert_no_serious_violations(page)


def test_results_pages(page, sign_in, team):
    from datetime import timedelta

    from fdac.dates import london_today

    case = factories.make_case(team, entered_on=london_today() - timedelta(days=20))
    parent = factories.add_parent(case, "Kelly Ashworth")
    factories.add_peth(parent, "150", collected_on=london_today() - timedelta(days=5))
    path = f"/cases/{case.reference}/parents/{parent.id}"
    db.session.commit()
    sign_in(factories.make_user("practitioner", team=team))

    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Test results for Kelly Ashworth")
    assert_no_serious_violations(page)
    for form_path in ("/screens/new", "/hair/new", "/urine/lab/new"):
        page.goto(path + form_path)
        assert_no_serious_violations(page)
    page.goto("/results/import")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_no_serious_violations(page)


def test_hearing_pages(page, sign_in, team):
    from datetime import timedelta

    from fdac.dates import london_today
    from hearings import planning

    judge = factories.make_user("judge", team=team, name="HHJ Marsh")
    factories.make_sitting(team, judge)
    today = london_today()
    case = factories.make_case(team, judge_id=judge.id, entered_on=today - timedelta(days=30))
    factories.add_parent(case, "Kelly Ashworth")
    planning.plan_reviews(case, today - timedelta(days=30))
    hearing = factories.add_hearing(case, today - timedelta(days=1), kind="fcmh")
    db.session.commit()
    case_path = f"/cases/{case.reference}/hearings"
    hearing_path = f"{case_path}/{hearing.id}"
    sign_in(factories.make_user("team_manager", team=team))

    for path in (
        "/",
        "/court",
        "/court/sittings/new",
        "/calendar",
        "/calendar?view=month",
        "/calendar?view=list",
        "/calendar/day",
        "/calendar/feeds",
        case_path,
        f"{case_path}/plan",
        f"{case_path}/new",
        f"{case_path}/extensions/new",
        hearing_path,
        f"{hearing_path}/move",
        f"{hearing_path}/outcome",
    ):
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_no_serious_violations(page)


def test_contact_and_graduation_pages(page, sign_in, team):
    from datetime import timedelta

    from fdac.cases.phases import Outcome, Phase
    from fdac.dates import london_today
    from tests.contacts.caseload_helpers import add_contact

    today = london_today()
    manager = factories.make_user("team_manager", team=team)
    active = factories.make_case(
        team, keyworker_id=manager.id, entered_on=today - timedelta(weeks=5)
    )
    mother = factories.add_parent(active, "Kelly Ashworth")
    contact = add_contact(mother, today - timedelta(days=2))
    add_contact(mother, today - timedelta(days=9), outcome="did_not_attend")
    closed = factories.make_case(
        team, phase=Phase.CLOSED, outcome=Outcome.REUNIFIED, entered_on=today - timedelta(weeks=40)
    )
    graduate = factories.add_parent(closed, "Jade Morris")
    db.session.commit()
    sign_in(manager)

    contacts = f"/cases/{active.reference}/contacts"
    for path in (
        f"/cases/{active.reference}",
        contacts,
        f"{contacts}/new",
        f"{contacts}/{contact.id}",
        f"{contacts}/target",
        "/caseload",
        "/team/settings",
        "/team/targets",
        "/team/criteria",
        f"/cases/{closed.reference}/graduation",
        f"/cases/{closed.reference}/graduation/{graduate.id}/confirm",
        "/graduates",
        "/graduates/ceremonies",
        "/graduates/ceremonies/new",
        "/graduates/outcomes",
    ):
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_no_serious_violations(page)


def test_progress_for_court_pages(page, sign_in, team):
    """The summary (also with a bad period), court documents, the dashboard and its lists,
    and the programme export."""
    from fdac.court_documents import pdf, services
    from fdac.dates import london_today
    from tests.court_documents.helpers import draft_report, make_family

    manager = factories.make_user("team_manager", team=team)
    keyworker = factories.make_user("practitioner", team=team)
    family = make_family(team)
    report = draft_report(family, keyworker)
    services.submit(report.latest, by=keyworker)
    services.issue(
        report.latest,
        pdf.live_summary(report.latest, family.today),
        by=manager,
        today=london_today(),
    )
    sign_in(manager)

    case = f"/cases/{family.case.reference}"
    for path in (
        "/",
        f"{case}/summary",
        f"{case}/summary?from-day=30&from-month=2&from-year=2027",  # 400: the period's error
        f"{case}/documents/new?kind=hearing_note&hearing_id={family.held.id}",
        f"{case}/documents/{report.id}",
        f"{case}/documents/{report.id}/revise",
        "/dashboard/tests",
        "/dashboard/contacts",
        "/reports/programme",
    ):
        response = page.goto(path)
        assert response.status == (400 if "from-day" in path else 200), path
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_no_serious_violations(page)
