"""What a contact was and what happened, in one table each. Source: shared/DOMAIN.md and issue 5."""

from dataclasses import dataclass
from enum import StrEnum


class ContactKind(StrEnum):
    HOME_VISIT = "home_visit"
    OFFICE = "office"
    PHONE = "phone"
    VIDEO = "video"
    GROUP_SESSION = "group_session"
    JOINT_VISIT = "joint_visit"
    UNANNOUNCED_VISIT = "unannounced_visit"

    @property
    def label(self) -> str:
        return CONTACT_KIND_LABELS[self]


CONTACT_KIND_LABELS = {
    ContactKind.HOME_VISIT: "Home visit",
    ContactKind.OFFICE: "Office appointment",
    ContactKind.PHONE: "Phone call",
    ContactKind.VIDEO: "Video call",
    ContactKind.GROUP_SESSION: "Group session",
    ContactKind.JOINT_VISIT: "Joint visit",
    ContactKind.UNANNOUNCED_VISIT: "Unannounced visit",
}


class ContactOutcome(StrEnum):
    ATTENDED = "attended"
    DID_NOT_ATTEND = "did_not_attend"
    CANCELLED_BY_PARENT = "cancelled_by_parent"
    CANCELLED_BY_TEAM = "cancelled_by_team"

    @property
    def label(self) -> str:
        return OUTCOMES[self].label

    @property
    def attended(self) -> bool:
        return self is ContactOutcome.ATTENDED

    @property
    def against_parent(self) -> bool:
        """Missed by the parent: counts against them (a team cancellation does not)."""
        return OUTCOMES[self].against_parent


@dataclass(frozen=True)
class OutcomeInfo:
    label: str
    against_parent: bool
    tag_colour: str


OUTCOMES: dict[ContactOutcome, OutcomeInfo] = {
    ContactOutcome.ATTENDED: OutcomeInfo("Attended", False, "green"),
    ContactOutcome.DID_NOT_ATTEND: OutcomeInfo("Did not attend", True, "red"),
    ContactOutcome.CANCELLED_BY_PARENT: OutcomeInfo("Cancelled by the parent", True, "orange"),
    ContactOutcome.CANCELLED_BY_TEAM: OutcomeInfo("Cancelled by the team", False, "grey"),
}

# A contact lasts at least a minute and at most 12 hours (issue 5: "over 12 hours" is refused).
MIN_MINUTES = 1
MAX_MINUTES = 12 * 60
