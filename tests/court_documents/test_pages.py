"""Court documents through the browser's eyes: the case page's list, drafting, approval,
issue, revision, and what a judge may see."""

from datetime import timedelta

import pytest
from flask import url_for

from fdac.court_documents import services
from fdac.court_documents.kinds import VersionStatus
from fdac.extensions import db
from tests import factories
from tests.conftest import error_summary
from tests.court_documents.helpers import (
    REPORT_WORDS,
    all_documents,
    draft_report,
    issued_note,
    issued_report,
    make_family,
)


@pytest.fixture
def family(team):
    return make_family(team)


@pytest.fixture
def keyworker(team):
    return factories.make_user("practitioner", team=team, name="Sam Keyworker")


@pytest.fixture
def manager(team):
    return factories.make_user("team_manager", team=team, name="Morgan Manager")


def _date(prefix: str, day) -> dict:
    return {prefix: [str(day.day), str(day.month), str(day.year)]}


def _form(family, **words) -> dict:
    period_from = family.held.day + timedelta(days=1)
    return (
        _date("period_from", period_from) | _date("period_to", family.today) | REPORT_WORDS | words
    )


def _new(family) -> dict:
    return {
        "reference": family.case.reference,
        "hearing_id": family.nlr.id,
        "kind": "review_report",
    }


def _doc(family, document) -> dict:
    return {"reference": family.case.reference, "document_id": document.id}


def test_the_case_page_says_when_there_are_no_documents_and_offers_to_start_them(
    family, signed_in, keyworker
):
    page = signed_in(keyworker).get("cases.show", reference=family.case.reference)
    assert page.select_one("#court-documents-empty").get_text() == (
        "No review reports or notes yet."
    )
    links = [a.get_text(" ", strip=True) for a in page.select("#court-documents-start a")]
    day = f"{family.nlr.day.day} {family.nlr.day:%B %Y}"
    assert f"Draft the review report for the NLR of {day}" in links
    assert any(link.startswith("Write the note of the hearing for the NLR of") for link in links)


def test_the_hearing_page_links_to_its_document(family, signed_in, keyworker, judge_client):
    page = signed_in(keyworker).get(
        "hearings.show", reference=family.case.reference, hearing_id=family.held.id
    )
    assert page.select_one("#court-document-link").get_text() == "Write the note of the hearing"
    judge_page = judge_client.get(
        "hearings.show", reference=family.case.reference, hearing_id=family.held.id
    )
    assert judge_page.select_one("#court-document-link") is None


@pytest.fixture
def judge_client(family, signed_in):
    return signed_in(family.judge)


def test_the_draft_form_is_prefilled_with_the_period(family, signed_in, keyworker):
    page = signed_in(keyworker).get("court_documents.new", **_new(family))
    start = family.held.day + timedelta(days=1)
    assert page.select_one("input[name=period_from]")["value"] == str(start.day)
    assert page.h1.get_text().startswith("Draft the review report for the NLR of")


def test_a_keyworker_drafts_a_report_and_sees_it_listed(family, signed_in, keyworker):
    client = signed_in(keyworker)
    response = client.post("court_documents.new", _form(family), **_new(family))

    [document] = all_documents()
    assert response.location == url_for("court_documents.show", **_doc(family, document))
    page = client.get("court_documents.show", **_doc(family, document))
    assert page.select_one("#doc-going-well + p").get_text() == REPORT_WORDS["going_well"]
    assert "DRAFT: not issued" in page.select_one(".app-draft-notice").get_text()
    assert page.select_one("#doc-summary #at-a-glance")  # the judge's summary, live
    case_page = client.get("cases.show", reference=family.case.reference)
    row = [td.get_text(" ", strip=True) for td in case_page.select("#court-documents-table td")]
    assert row[0] == "Review report" and row[2:] == ["1", "Draft", "Sam Keyworker", "Not issued"]


def test_missing_words_are_shown_and_nothing_is_saved(family, signed_in, keyworker):
    page = signed_in(keyworker).post(
        "court_documents.new", _form(family, going_well=""), 200, **_new(family)
    )
    assert error_summary(page) == ["Enter what is going well"]
    assert page.title.get_text().startswith("Error:")
    assert all_documents() == []


def test_a_period_beyond_the_hearing_is_refused(family, signed_in, keyworker):
    form = _form(family) | _date("period_to", family.nlr.day + timedelta(days=1))
    page = signed_in(keyworker).post("court_documents.new", form, 200, **_new(family))
    assert error_summary(page)[0].startswith("The period must end by the day of the hearing")
    assert all_documents() == []


def _submit(client, family, document):
    page = client.get("court_documents.show", **_doc(family, document))
    token = page.select_one("#doc-actions input[name=csrf_token]")["value"]
    return client.raw.post(
        url_for("court_documents.submit", **_doc(family, document)), data={"csrf_token": token}
    )


def test_submit_then_the_manager_sends_it_back_with_a_reason(family, signed_in, keyworker, manager):
    document = draft_report(family, keyworker)
    assert _submit(signed_in(keyworker), family, document).status_code == 302
    boss = signed_in(manager)
    confirm = boss.get("court_documents.send_back", **_doc(family, document))
    assert confirm.h1.get_text() == "Send version 1 back to its author?"

    page = boss.post("court_documents.send_back", {"reason": ""}, 200, **_doc(family, document))
    assert error_summary(page) == ["Enter why you are sending it back"]
    boss.post("court_documents.send_back", {"reason": "Add the dates"}, **_doc(family, document))

    page = signed_in(keyworker).get("court_documents.show", **_doc(family, document))
    assert "Add the dates" in page.select_one("#doc-returned").get_text()
    db.session.refresh(document.latest)
    assert document.latest.status is VersionStatus.DRAFT


def test_a_keyworker_cannot_issue(family, signed_in, keyworker):
    document = draft_report(family, keyworker)
    signed_in(keyworker).get("court_documents.issue", 403, **_doc(family, document))


def test_the_manager_confirms_then_issues_and_it_is_frozen(family, signed_in, keyworker, manager):
    document = draft_report(family, keyworker)
    _submit(signed_in(keyworker), family, document)
    boss = signed_in(manager)
    confirm = boss.get("court_documents.issue", **_doc(family, document))
    assert "can never change" in confirm.select_one(".govuk-warning-text").get_text()

    boss.post("court_documents.issue", {}, **_doc(family, document))

    page = boss.get("court_documents.show", **_doc(family, document))
    assert page.select_one("#doc-status").get_text(" ", strip=True) == "Version 1 Issued"
    assert "by Morgan Manager" in page.select_one("#doc-issued").get_text()
    assert page.select_one(".app-draft-notice") is None
    edit = signed_in(keyworker).get("court_documents.edit", **_doc(family, document))
    assert "cannot change" in edit.select_one("#why").get_text()


def test_editing_an_issued_document_makes_a_new_version_and_keeps_the_old(
    family, signed_in, keyworker, manager
):
    document = issued_report(family, keyworker, manager)
    client = signed_in(keyworker)
    response = client.post(
        "court_documents.revise", {"reason": "Course dates added"}, **_doc(family, document)
    )
    assert response.location == url_for("court_documents.edit", **_doc(family, document))
    client.post(
        "court_documents.edit", _form(family, going_well="Now on the course"),
        **_doc(family, document),
    )  # fmt: skip

    page = client.get("court_documents.show", **_doc(family, document))
    assert page.select_one("#doc-going-well + p").get_text() == "Now on the course"
    rows = [r.get_text(" ", strip=True) for r in page.select("#doc-versions + table tbody tr")]
    assert len(rows) == 1 and rows[0].startswith("1 Issued Sam Keyworker")
    first = client.get("court_documents.version", number=1, **_doc(family, document))
    assert first.select_one("#doc-going-well + p").get_text() == REPORT_WORDS["going_well"]


def test_a_judge_sees_issued_versions_only(family, signed_in, keyworker, manager, judge_client):
    draft = draft_report(family, keyworker)
    judge_client.get("court_documents.show", 404, **_doc(family, draft))
    judge_client.get("court_documents.version_pdf", 404, number=1, **_doc(family, draft))
    page = judge_client.get("cases.show", reference=family.case.reference)
    assert page.select_one("#court-documents-empty")
    assert page.select_one("#court-documents-start") is None

    issued = issued_note(family, keyworker, manager)
    page = judge_client.get("court_documents.show", **_doc(family, issued))
    assert not page.select("#doc-actions .govuk-button")  # judges read; they never change
    # A revision in progress stays hidden: the judge reads the issued version 1.
    services.revise(issued, "Typo", by=keyworker)
    page = judge_client.get("court_documents.show", **_doc(family, issued))
    assert page.select_one("#doc-status").get_text(" ", strip=True) == "Version 1 Issued"
    judge_client.get("court_documents.version", 404, number=2, **_doc(family, issued))
    listed = judge_client.get("cases.show", reference=family.case.reference)
    assert len(listed.select("#court-documents-table tbody tr")) == 1


def test_another_case_s_document_is_not_found(family, signed_in, keyworker, team):
    document = draft_report(family, keyworker)
    other = factories.make_case(team)
    signed_in(keyworker).get(
        "court_documents.show", 404, reference=other.reference, document_id=document.id
    )


def test_the_submit_button_needs_its_token(family, signed_in, keyworker):
    document = draft_report(family, keyworker)
    response = signed_in(keyworker).raw.post(
        url_for("court_documents.submit", **_doc(family, document))
    )
    assert response.status_code == 400
    db.session.refresh(document.latest)
    assert document.latest.status is VersionStatus.DRAFT


def test_pages_have_one_heading_and_unique_ids(family, signed_in, keyworker, manager):
    document = issued_report(family, keyworker, manager)
    client = signed_in(manager)
    for endpoint in ("court_documents.show", "court_documents.revise"):
        page = client.get(endpoint, **_doc(family, document))
        assert len(page.select("h1")) == 1
        ids = [tag["id"] for tag in page.select("[id]")]
        assert len(ids) == len(set(ids))
