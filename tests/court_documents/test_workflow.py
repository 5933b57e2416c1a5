"""The workflow of a court document's version, as pure rules."""

import pytest

from fdac.auth.access import Action
from fdac.court_documents import workflow
from fdac.court_documents.kinds import VersionStatus
from fdac.court_documents.workflow import Step

DRAFT, SUBMITTED, ISSUED = VersionStatus.DRAFT, VersionStatus.SUBMITTED, VersionStatus.ISSUED
KEYWORKER = {Action.DRAFT_COURT_DOCUMENT}
MANAGER = {Action.DRAFT_COURT_DOCUMENT, Action.APPROVE_COURT_DOCUMENT}


@pytest.mark.parametrize(
    ("status", "step", "after"),
    [
        (DRAFT, Step.EDIT, DRAFT),
        (DRAFT, Step.SUBMIT, SUBMITTED),
        (SUBMITTED, Step.SEND_BACK, DRAFT),
        (SUBMITTED, Step.ISSUE, ISSUED),
        (ISSUED, Step.REVISE, ISSUED),  # the issued version stays as it is: a new one starts
    ],
)
def test_allowed_steps_lead_to_their_status(status, step, after):
    assert workflow.why_not(status, step) is None
    assert workflow.after(status, step) is after


@pytest.mark.parametrize(
    ("status", "step"),
    [
        (DRAFT, Step.ISSUE),  # a draft is submitted before a manager issues it
        (DRAFT, Step.SEND_BACK),
        (DRAFT, Step.REVISE),
        (SUBMITTED, Step.EDIT),  # waiting for approval: sent back first to change it
        (SUBMITTED, Step.SUBMIT),
        (SUBMITTED, Step.REVISE),
        (ISSUED, Step.EDIT),
        (ISSUED, Step.SUBMIT),
        (ISSUED, Step.SEND_BACK),
        (ISSUED, Step.ISSUE),
    ],
)
def test_other_steps_are_refused_with_a_reason(status, step):
    assert workflow.why_not(status, step)
    with pytest.raises(ValueError, match=workflow.WHY_NOT[status]):
        workflow.after(status, step)


def test_an_issued_version_can_never_be_edited():
    assert "cannot change" in workflow.why_not(ISSUED, Step.EDIT)
    assert workflow.is_frozen(ISSUED)
    assert not workflow.is_frozen(DRAFT) and not workflow.is_frozen(SUBMITTED)


def test_only_the_latest_version_moves():
    assert workflow.why_not(ISSUED, Step.REVISE, latest=False) == (
        "Only the latest version of a document can change"
    )
    assert workflow.steps(ISSUED, latest=False, allowed=MANAGER) == set()


def test_a_keyworker_drafts_and_submits_but_cannot_approve():
    assert workflow.steps(DRAFT, latest=True, allowed=KEYWORKER) == {Step.EDIT, Step.SUBMIT}
    assert workflow.steps(SUBMITTED, latest=True, allowed=KEYWORKER) == set()
    assert workflow.steps(ISSUED, latest=True, allowed=KEYWORKER) == {Step.REVISE}


def test_a_manager_issues_or_sends_back_a_submitted_version():
    assert workflow.steps(SUBMITTED, latest=True, allowed=MANAGER) == {Step.ISSUE, Step.SEND_BACK}


def test_a_reader_who_may_do_neither_has_no_steps():
    for status in VersionStatus:
        assert workflow.steps(status, latest=True, allowed=set()) == set()
