"""A court document's PDF: the page's own HTML with the court, the case, the judge, the period,
the author, the date and page numbers on every page; DRAFT on a version not issued; audited."""

from datetime import timedelta

import pytest
from flask import url_for
from sqlalchemy import select

from fdac.audit.models import AuditEvent
from fdac.court_documents import pdf, services
from fdac.dates import uk_date
from fdac.extensions import db
from tests import factories
from tests.court_documents.helpers import REPORT_WORDS, draft_report, make_family
from tests.pdf import pdf_text
from tests.reports.test_summary import add_breath


@pytest.fixture
def family(team):
    return make_family(team)


@pytest.fixture
def keyworker(team):
    return factories.make_user("practitioner", team=team, name="Sam Keyworker")


@pytest.fixture
def manager(team):
    return factories.make_user("team_manager", team=team, name="Morgan Manager")


def _download(client, family, document, number=1):
    return client.raw.get(
        url_for(
            "court_documents.version_pdf",
            reference=family.case.reference,
            document_id=document.id,
            number=number,
        )
    )


def _issue(family, document, keyworker, manager):
    version = document.latest
    services.submit(version, by=keyworker)
    services.issue(version, pdf.live_summary(version, family.today), by=manager, today=family.today)  # noqa: E501


def test_the_issued_pdf_carries_the_header_the_figures_and_the_words(
    family, keyworker, manager, signed_in, tmp_path
):
    document = draft_report(family, keyworker)
    _issue(family, document, keyworker, manager)

    response = _download(signed_in(family.judge), family, document)

    assert response.status_code == 200 and response.mimetype == "application/pdf"
    name = f"{family.case.reference}-review-report-{family.nlr.day.isoformat()}-v1.pdf"
    assert response.headers["Content-Disposition"].endswith(f"filename={name}")
    text = pdf_text(response.data, tmp_path)
    version = document.latest
    assert family.case.team.court_name in text
    assert "Case number ZW27C00042" in text and family.case.reference in text
    assert "Judge: HHJ Patel" in text
    assert f"Period {uk_date(version.period_from)} to {uk_date(version.period_to)}" in text
    assert (
        f"Written by Sam Keyworker; approved and issued by Morgan Manager on "
        f"{uk_date(family.today)}" in text
    )
    assert "Page 1 of" in text
    for words in REPORT_WORDS.values():
        assert words in text
    assert "Alcohol detected" in text  # the figures, from the judge's summary
    assert "Summary at a glance" in text
    assert "DRAFT" not in text
    for absent in ("Download version", "Edit the draft", "Sign out", "Other versions"):
        assert absent not in text


def test_every_page_is_numbered_and_carries_the_header(family, keyworker, app, tmp_path):
    document = draft_report(family, keyworker)
    content = pdf.version_pdf(document, document.latest, family.today, app.static_folder)
    text = pdf_text(content, tmp_path)
    pages = int(text.split("Page 1 of ")[1].split()[0])
    assert pages >= 1
    for n in range(1, pages + 1):
        assert f"Page {n} of {pages}" in text
    assert text.count("Case number ZW27C00042 · FDAC reference") == pages
    assert text.count(f"Draft by Sam Keyworker, printed on {uk_date(family.today)}") == pages


def test_a_draft_pdf_says_draft_on_every_page(family, keyworker, signed_in, tmp_path):
    document = draft_report(family, keyworker)
    response = _download(signed_in(keyworker), family, document)
    assert response.headers["Content-Disposition"].endswith("-v1-DRAFT.pdf")
    text = pdf_text(response.data, tmp_path)
    assert "DRAFT: NOT ISSUED" in text
    assert "Draft by Sam Keyworker" in text


def test_the_issued_pdf_does_not_change_when_a_result_is_added(
    family, keyworker, manager, app, tmp_path
):
    document = draft_report(family, keyworker)
    _issue(family, document, keyworker, manager)
    before = pdf_text(
        pdf.version_pdf(document, document.latest, family.today, app.static_folder), tmp_path
    )
    add_breath(family.parent, family.today - timedelta(days=1), "80")
    family.case.judge.name = "HHJ Someone Else"
    db.session.commit()

    after = pdf_text(
        pdf.version_pdf(document, document.latest, family.today, app.static_folder), tmp_path
    )
    assert after == before
    assert "HHJ Patel" in after


def test_each_download_is_in_the_audit_trail(family, keyworker, signed_in):
    document = draft_report(family, keyworker)
    _download(signed_in(keyworker), family, document)
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all()
    version = document.latest
    assert (event.case_id, event.actor_id) == (family.case.id, keyworker.id)
    assert event.changes["format"] == [None, "pdf"]
    assert event.changes["from"] == [None, version.period_from.isoformat()]
    assert event.changes["to"] == [None, version.period_to.isoformat()]
    assert event.changes["anonymised"] == [None, False]


def _anonymised(client, family, document, number=1):
    return client.raw.get(
        url_for(
            "court_documents.version_pdf",
            reference=family.case.reference,
            document_id=document.id,
            number=number,
            anonymise=1,
        )
    )


def test_an_anonymised_issued_pdf_names_no_one_from_the_case(
    family, keyworker, manager, signed_in, tmp_path
):
    factories.add_child(family.case, "Alfie Ashworth")
    document = draft_report(family, keyworker)
    _issue(family, document, keyworker, manager)  # the summary is frozen with the names in it

    response = _anonymised(signed_in(family.judge), family, document)

    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith("-v1-anonymised.pdf")
    text = " ".join(pdf_text(response.data, tmp_path).split())
    for name in ("Kelly", "Ashworth", "Alfie", "Patel", "Sam Keyworker", "Morgan Manager"):
        assert name not in text
    # The author's own words and the frozen summary, with stand-ins for the names.
    assert "The mother has kept every appointment" in text
    assert "Judge: HHJ P" in text
    assert "Written by SK; approved and issued by MM" in text
    assert "Alcohol detected" in text and "Case number ZW27C00042" in text
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all()
    assert event.changes["anonymised"] == [None, True]


def test_an_anonymised_pdf_that_would_still_name_someone_is_refused(
    family, keyworker, signed_in, monkeypatch
):
    document = draft_report(family, keyworker)
    # A fault that lets one name through: the stand-ins replace nothing.
    monkeypatch.setattr("fdac.reports.anonymise.Pseudonyms.apply", lambda self, text: text)

    response = _anonymised(signed_in(keyworker), family, document)

    assert response.status_code == 422
    assert response.mimetype == "text/html"
    assert "The anonymised export was stopped" in response.get_data(as_text=True)
    assert "Back to version 1" in response.get_data(as_text=True)
    exports = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all()
    assert exports == []
