"""The demo team's court documents: what `flask fdac demo-data` promises to show."""

from collections import Counter

from sqlalchemy import select

from fdac.court_documents.kinds import DocumentKind, VersionStatus
from fdac.court_documents.models import CourtDocument
from fdac.extensions import db
from hearings.kinds import HearingKind, HearingStatus


def test_demo_data_has_review_reports_at_each_step_and_issued_notes(app):
    result = app.test_cli_runner().invoke(args=["fdac", "demo-data"])
    assert result.exit_code == 0, result.output
    documents = db.session.scalars(select(CourtDocument)).all()

    reports = [d for d in documents if d.kind is DocumentKind.REVIEW_REPORT]
    assert Counter(d.latest.status for d in reports) == {
        VersionStatus.ISSUED: 1,
        VersionStatus.SUBMITTED: 1,
        VersionStatus.DRAFT: 1,
    }
    for report in reports:  # to the family's next review
        assert report.hearing.kind is HearingKind.NLR
        assert report.hearing.status is HearingStatus.PLANNED
    notes = [d for d in documents if d.kind is DocumentKind.HEARING_NOTE]
    assert len(notes) == 3
    for note in notes:  # of a review held, from its recorded outcome
        assert note.hearing.status is HearingStatus.HELD
        assert note.latest.goals_agreed == note.hearing.outcome.goals
    for document in documents:
        version = document.latest
        if version.status is VersionStatus.ISSUED:
            assert "Summary at a glance" in version.frozen_summary
            assert version.frozen_header["approver"] == "Morgan Reid"
