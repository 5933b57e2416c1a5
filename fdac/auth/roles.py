"""The roles a person can hold, in one table (labels are what the interface shows)."""

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    TEAM_MANAGER = "team_manager"
    PRACTITIONER = "practitioner"
    JUDGE = "judge"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]

    @property
    def needs_team(self) -> bool:
        # An admin runs the system, not a team's cases; everyone else works for one team.
        return self is not Role.ADMIN


ROLE_LABELS = {
    Role.ADMIN: "Administrator",
    Role.TEAM_MANAGER: "Team manager",
    Role.PRACTITIONER: "Practitioner (keyworker, substance misuse worker, social worker)",
    Role.JUDGE: "Judge",
}
