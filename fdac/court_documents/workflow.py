"""The life of a court document's version, as pure rules: which step may be taken from which
status, by whom (the access action it needs), and what status it leads to. No Flask, no db.

    draft --submit--> submitted --issue--> issued
      ^                   |
      +-----send back-----+          issued --revise--> a new version, draft

Only the document's latest version moves. An issued version never changes: a revision is a
new version (N + 1) that starts as a draft, and the issued one stays on record.
"""

from enum import StrEnum

from fdac.auth.access import Action
from fdac.court_documents.kinds import VersionStatus


class Step(StrEnum):
    EDIT = "edit"
    SUBMIT = "submit"
    SEND_BACK = "send_back"
    ISSUE = "issue"
    REVISE = "revise"


DRAFT, SUBMITTED, ISSUED = VersionStatus.DRAFT, VersionStatus.SUBMITTED, VersionStatus.ISSUED

# (status now, step) -> status after. A revision leaves the issued version as it is.
TRANSITIONS: dict[tuple[VersionStatus, Step], VersionStatus] = {
    (DRAFT, Step.EDIT): DRAFT,
    (DRAFT, Step.SUBMIT): SUBMITTED,
    (SUBMITTED, Step.SEND_BACK): DRAFT,
    (SUBMITTED, Step.ISSUE): ISSUED,
    (ISSUED, Step.REVISE): ISSUED,
}

# Keyworkers (and managers) draft; only a manager approves, sends back and issues.
STEP_ACTIONS: dict[Step, Action] = {
    Step.EDIT: Action.DRAFT_COURT_DOCUMENT,
    Step.SUBMIT: Action.DRAFT_COURT_DOCUMENT,
    Step.REVISE: Action.DRAFT_COURT_DOCUMENT,
    Step.SEND_BACK: Action.APPROVE_COURT_DOCUMENT,
    Step.ISSUE: Action.APPROVE_COURT_DOCUMENT,
}

WHY_NOT: dict[VersionStatus, str] = {
    DRAFT: "This version is a draft: it has not been submitted for approval",
    SUBMITTED: "This version is waiting for a manager's approval: ask them to send it back to "
    "change it",
    ISSUED: "This version has been issued, so it cannot change: revise it to make a new version",
}


def why_not(status: VersionStatus, step: Step, *, latest: bool = True) -> str | None:
    """Why `step` cannot be taken on a version in `status`, or None when it can."""
    if not latest:
        return "Only the latest version of a document can change"
    if (status, step) not in TRANSITIONS:
        return WHY_NOT[status]
    return None


def after(status: VersionStatus, step: Step) -> VersionStatus:
    """The status a version has after `step`; ValueError when the step is not allowed."""
    problem = why_not(status, step)
    if problem:
        raise ValueError(problem)
    return TRANSITIONS[(status, step)]


def steps(status: VersionStatus, *, latest: bool, allowed: set[Action]) -> set[Step]:
    """The steps a person who may do `allowed` can take on a version in `status`."""
    return {
        step
        for step in Step
        if why_not(status, step, latest=latest) is None and STEP_ACTIONS[step] in allowed
    }


def is_frozen(status: VersionStatus) -> bool:
    return status is ISSUED
