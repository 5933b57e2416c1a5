"""The roles a person can hold, in one table (labels are what the interface shows)."""

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    TEAM_MANAGER = "team_manager"
    PRACTITIONER = "practitioner"
    JUDGE = "judge"
    LAB = "lab"  # a toxicology laboratory: posts test results through the API, reads nothing

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]

    @property
    def needs_team(self) -> bool:
        # An admin runs the system, not a team's cases; a lab serves teams (serves_teams);
        # everyone else works for one team.
        return self not in (Role.ADMIN, Role.LAB)

    @property
    def serves_teams(self) -> bool:
        # A laboratory works for one or more teams, named in the lab_teams table.
        return self is Role.LAB


ROLE_LABELS = {
    Role.ADMIN: "Administrator",
    Role.TEAM_MANAGER: "Team manager",
    Role.PRACTITIONER: "Practitioner (keyworker, substance misuse worker, social worker)",
    Role.JUDGE: "Judge",
    Role.LAB: "Laboratory (sends test results through the API)",
}
