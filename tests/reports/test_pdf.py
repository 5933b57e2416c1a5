"""The progress summary as a PDF: the page's own content, with the court, the case, the judge,
the period, the author, the date and page numbers on every page; read back as text."""

import subprocess
from datetime import date

import pytest
from sqlalchemy import select

from fdac.audit.models import AuditEvent
from fdac.extensions import db
from fdac.reports import pdf
from fdac.reports.summary import progress_summary
from testing_results.interpret import Status
from tests import factories
from tests.pdf import pdf_text
from tests.reports.test_summary import add_breath

PERIOD = {"from": "2027-03-02", "to": "2027-03-15"}


@pytest.fixture
def judge(team):
    return factories.make_user("judge", team=team, name="HHJ Patel")


@pytest.fixture
def family(team, judge):
    case = factories.make_case(
        team,
        judge_id=judge.id,
        entered_on=date(2027, 1, 4),
        issued_on=date(2027, 1, 1),
        reference="FDAC-2027-0007",
        court_case_number="ZW27C00007",
    )
    kelly = factories.add_parent(case, "Kelly Ashworth")
    add_breath(kelly, date(2027, 3, 3))
    add_breath(kelly, date(2027, 3, 5), "20")
    add_breath(kelly, date(2027, 3, 8), status=Status.MISSED)
    return case, kelly


def download(client, case, **period):
    return client.raw.get(f"/cases/{case.reference}/summary.pdf", query_string=period)


def test_the_pdf_carries_the_header_and_the_results_in_plain_english(
    family, judge, signed_in, tmp_path
):
    case, _ = family
    response = download(signed_in(judge), case, **PERIOD)

    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].endswith(
        "filename=FDAC-2027-0007-summary-2027-03-02-to-2027-03-15.pdf"
    )
    text = pdf_text(response.data, tmp_path)
    assert case.team.court_name in text
    assert "ZW27C00007" in text and "FDAC-2027-0007" in text
    assert "HHJ Patel" in text
    assert "2 March 2027 to 15 March 2027" in text
    assert "Prepared by HHJ Patel on" in text
    assert "Page 1 of" in text
    assert "Alcohol detected" in text
    assert "Missed (did not attend): counts as a positive" in text
    # The page's own sections, without its links, buttons or navigation.
    assert "Summary at a glance" in text and "Notable events" in text
    for absent in ("Show period", "Download as Excel", "Print this summary", "Sign out"):
        assert absent not in text


def test_every_page_carries_the_header_and_its_number(family, judge, app, tmp_path):
    case, _ = family
    with app.test_request_context():
        report = progress_summary(case, date(2027, 1, 4), date(2027, 3, 15), date(2027, 3, 15))
        content = pdf.summary_pdf(report, "Sam Keyworker", app.static_folder)
    path = tmp_path / "summary.pdf"
    path.write_bytes(content)
    pages = int(
        subprocess.run(  # noqa: S603 - a fixed program on a file the test wrote
            ["pdfinfo", str(path)],  # noqa: S607
            capture_output=True, check=True, text=True,
        ).stdout.split("Pages:")[1].split()[0]
    )  # fmt: skip
    text = pdf_text(content, tmp_path)
    assert pages >= 2  # 10 weeks of contacts and charts: more than one A4 page
    assert text.count(case.team.court_name) >= pages
    assert text.count("Prepared by Sam Keyworker on 15 March 2027") == pages
    for n in range(1, pages + 1):
        assert f"Page {n} of {pages}" in text


def test_the_charts_are_drawn(family, judge, app, tmp_path):
    case, _ = family
    with app.test_request_context():
        report = progress_summary(case, date(2027, 3, 2), date(2027, 3, 15), date(2027, 3, 15))
        html = pdf.summary_html(report, "Sam Keyworker")
        content = pdf.summary_pdf(report, "Sam Keyworker", app.static_folder)
    assert "<svg" in html
    path = tmp_path / "summary.pdf"
    path.write_bytes(content)
    # The SVG is drawn as vector paths, not dropped: its axis labels read back as text.
    assert "Evidence coverage" in pdf_text(content, tmp_path)


def test_each_pdf_export_is_in_the_audit_trail(family, judge, signed_in):
    case, _ = family
    download(signed_in(judge), case, **PERIOD)

    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all()
    assert event.case_id == case.id and event.actor_id == judge.id
    assert event.changes["format"] == [None, "pdf"]
    assert (event.changes["from"], event.changes["to"]) == (
        [None, "2027-03-02"],
        [None, "2027-03-15"],
    )
    assert event.changes["anonymised"] == [None, False]


def test_another_judge_and_an_admin_cannot_export(family, team, signed_in):
    case, _ = family
    signed_in(factories.make_user("judge", team=team)).get(
        "reports.summary_pdf", 404, reference=case.reference
    )
    signed_in("admin").get("reports.summary_pdf", 404, reference=case.reference)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export")) is None


def test_a_bad_period_is_the_pages_error(family, judge, signed_in):
    case, _ = family
    response = download(signed_in(judge), case, **{"from": "2027-03-10", "to": "2027-03-01"})
    assert response.status_code == 400
    assert "To must be the same as or after From" in response.text
