"""Court documents' services: drafting, the workflow, issue freezing, revisions."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from fdac.audit.models import AuditEvent
from fdac.court_documents import services
from fdac.court_documents.kinds import DocumentKind, VersionStatus
from fdac.court_documents.models import DocumentVersion, FrozenVersion
from fdac.court_documents.pdf import live_summary, shown_summary
from fdac.extensions import db
from fdac.validation import FieldError
from tests import factories
from tests.court_documents.helpers import (
    NOTE_WORDS,
    REPORT_WORDS,
    all_documents,
    draft_report,
    issued_report,
    make_family,
)
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


def test_a_review_report_starts_as_version_one_a_draft_by_its_author(family, keyworker):
    document = draft_report(family, keyworker)

    [version] = document.versions
    assert (version.number, version.status, version.author) == (1, VersionStatus.DRAFT, keyworker)
    assert version.going_well == REPORT_WORDS["going_well"]
    assert document.hearing == family.nlr
    # Since the last review held, up to today while the review is still ahead.
    assert version.period_from == family.held.day + timedelta(days=1)
    assert version.period_to == family.today


def test_the_report_needs_the_authors_words_and_nothing_is_saved_without_them(family, keyworker):
    with pytest.raises(FieldError) as error:
        draft_report(family, keyworker, words=REPORT_WORDS | {"not_going_well": "  "})
    assert (error.value.field, error.value.message) == (
        "not_going_well",
        "Enter what is not going well",
    )
    assert all_documents() == []


def test_the_period_must_end_by_the_hearing(family, keyworker):
    day = family.nlr.day
    with pytest.raises(FieldError, match="must end by the day of the hearing"):
        services.create(
            family.case, family.nlr, DocumentKind.REVIEW_REPORT, REPORT_WORDS,
            (day - timedelta(days=14), day + timedelta(days=1)), by=keyworker, today=family.today,
        )  # fmt: skip
    assert all_documents() == []


def test_one_review_report_per_review(family, keyworker):
    draft_report(family, keyworker)
    with pytest.raises(FieldError, match="already has a review report"):
        draft_report(family, keyworker)


@pytest.mark.parametrize(
    ("which", "kind", "why"),
    [
        ("held", DocumentKind.REVIEW_REPORT, "has taken place"),
        ("nlr", DocumentKind.HEARING_NOTE, "once the hearing's outcome has been recorded"),
    ],
)
def test_documents_belong_to_the_right_hearing(family, which, kind, why):
    hearing = getattr(family, which)
    assert why in services.why_cannot_start(hearing, kind, family.today)


def test_the_note_is_prefilled_from_the_hearings_outcome(family):
    words = services.prefill(family.held, DocumentKind.HEARING_NOTE)
    assert words["attendance"] == (
        "Kelly Ashworth: attended\nAlso present: Ms Brown, social worker"
    )
    assert (words["note"], words["goals_agreed"]) == ("Good start", "Test three times a week")
    assert services.prefill(family.nlr, DocumentKind.REVIEW_REPORT) == {}


def test_submit_send_back_and_issue(family, keyworker, manager):
    document = draft_report(family, keyworker)
    version = document.latest
    services.submit(version, by=keyworker)
    assert version.status is VersionStatus.SUBMITTED and version.submitted_at

    with pytest.raises(FieldError, match="waiting for a manager's approval"):
        services.save_draft(
            version, REPORT_WORDS, (version.period_from, version.period_to), by=keyworker
        )  # noqa: E501
    services.send_back(version, "Say which test was missed", by=manager)
    assert version.status is VersionStatus.DRAFT
    assert (version.returned_reason, version.returned_by) == ("Say which test was missed", manager)

    services.save_draft(
        version,
        REPORT_WORDS | {"not_going_well": "The breath test on Friday was missed."},
        (version.period_from, version.period_to),
        by=keyworker,
    )
    services.submit(version, by=keyworker)
    services.issue(version, "<p>figures</p>", by=manager, today=family.today)

    assert version.status is VersionStatus.ISSUED
    assert version.approver == manager and version.issued_on == family.today
    assert version.frozen_summary == "<p>figures</p>"
    assert version.frozen_header["judge"] == "HHJ Patel"
    assert version.frozen_header["author"] == "Sam Keyworker"
    assert version.frozen_header["approver"] == "Morgan Manager"


def test_a_draft_cannot_be_issued_before_it_is_submitted(family, keyworker, manager):
    version = draft_report(family, keyworker).latest
    with pytest.raises(FieldError, match="has not been submitted"):
        services.issue(version, "<p>x</p>", by=manager, today=family.today)
    db.session.refresh(version)
    assert version.status is VersionStatus.DRAFT and version.frozen_summary is None


def test_sending_back_needs_a_reason(family, keyworker, manager):
    version = draft_report(family, keyworker).latest
    services.submit(version, by=keyworker)
    with pytest.raises(FieldError) as error:
        services.send_back(version, " ", by=manager)
    assert error.value.field == "reason"
    db.session.refresh(version)
    assert version.status is VersionStatus.SUBMITTED


def test_an_issued_version_cannot_be_edited_through_the_service(family, keyworker, manager):
    version = issued_report(family, keyworker, manager).latest
    with pytest.raises(FieldError, match="has been issued"):
        services.save_draft(
            version, REPORT_WORDS, (version.period_from, version.period_to), by=keyworker
        )  # noqa: E501


def test_an_issued_version_cannot_change_even_through_the_orm(family, keyworker, manager):
    version = issued_report(family, keyworker, manager).latest
    version_id = version.id

    version.going_well = "Rewritten after the hearing"
    with pytest.raises(FrozenVersion, match="cannot change"):
        db.session.commit()
    db.session.rollback()

    db.session.delete(db.session.get(DocumentVersion, version_id))
    with pytest.raises(FrozenVersion, match="cannot be deleted"):
        db.session.commit()
    db.session.rollback()

    db.session.expire_all()
    again = db.session.get(DocumentVersion, version_id)
    assert again.going_well == REPORT_WORDS["going_well"]


def test_an_issued_version_stays_frozen_after_being_loaded_afresh(family, keyworker, manager):
    version_id = issued_report(family, keyworker, manager).latest.id
    db.session.expire_all()
    version = db.session.get(DocumentVersion, version_id)
    version.status = VersionStatus.DRAFT  # trying to "unissue" it
    with pytest.raises(FrozenVersion):
        db.session.commit()
    db.session.rollback()


def test_revising_an_issued_document_makes_version_two_a_draft(family, keyworker, manager):
    document = issued_report(family, keyworker, manager)
    first = document.latest

    second = services.revise(document, "The judge asked for the course dates", by=keyworker)

    assert [v.number for v in document.versions] == [1, 2]
    assert second.status is VersionStatus.DRAFT
    assert second.revision_reason == "The judge asked for the course dates"
    assert second.going_well == first.going_well  # starts from the issued words
    assert first.status is VersionStatus.ISSUED  # the issued one stays on record
    # Version 1 is no longer the latest: it can be neither revised again nor changed.
    assert services.workflow.why_not(first.status, services.Step.REVISE, latest=False)
    with pytest.raises(FieldError, match="is a draft"):
        services.revise(document, "Again", by=keyworker)  # the latest is now a draft


def test_a_revision_needs_a_reason_and_only_an_issued_latest_version(family, keyworker, manager):
    document = draft_report(family, keyworker)
    with pytest.raises(FieldError, match="is a draft"):
        services.revise(document, "Because", by=keyworker)
    services.submit(document.latest, by=keyworker)
    services.issue(document.latest, "<p>x</p>", by=manager, today=family.today)
    with pytest.raises(FieldError) as error:
        services.revise(document, "", by=keyworker)
    assert error.value.field == "reason"
    db.session.refresh(document)
    assert len(document.versions) == 1


def test_frozen_summary_does_not_change_when_a_result_is_added(family, keyworker, manager, app):
    document = draft_report(family, keyworker)
    version = document.latest
    services.submit(version, by=keyworker)
    frozen = live_summary(version, family.today)
    services.issue(version, frozen, by=manager, today=family.today)
    assert "Alcohol detected" in frozen

    add_breath(family.parent, family.today - timedelta(days=1), "50")  # a new result

    assert shown_summary(version, family.today) == frozen
    assert live_summary(version, family.today) != frozen  # the live summary did move
    db.session.expire_all()
    assert db.session.get(DocumentVersion, version.id).frozen_summary == frozen


def test_the_note_of_the_hearing_can_be_written_once_held(family, keyworker):
    period = services.default_period_for(family.case, family.held, family.today)
    document = services.create(
        family.case, family.held, DocumentKind.HEARING_NOTE, NOTE_WORDS, period,
        by=keyworker, today=family.today,
    )  # fmt: skip
    assert document.latest.note == NOTE_WORDS["note"]
    assert period[1] == family.held.day


def test_judges_see_only_issued_versions(family, keyworker, manager):
    draft_report(family, keyworker)
    assert services.case_documents(family.case, issued_only=True) == []
    [line] = services.case_documents(family.case, issued_only=False)
    assert line.shown.status is VersionStatus.DRAFT and line.last_issued is None


def test_every_change_is_in_the_audit_trail(family, keyworker, manager):
    issued_report(family, keyworker, manager)
    changes = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.table_name == "court_document_versions")
        .order_by(AuditEvent.id)  # without an order PostgreSQL may answer in any
    ).all()
    statuses = [e.changes.get("status") for e in changes if "status" in e.changes]
    assert statuses[0][1] == "draft"
    assert [s[1] for s in statuses[1:]] == ["submitted", "issued"]
    assert all(e.case_id == family.case.id for e in changes)
