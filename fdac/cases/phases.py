"""A case's journey through FDAC: the phases, the moves allowed between them, and outcomes.

Pure domain rules (no Flask, no database). Source: shared/DOMAIN.md, "A case's journey".
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from fdac.validation import FieldError


class Phase(StrEnum):
    REFERRAL = "referral"
    ASSESSMENT = "assessment"
    TRIAL_FOR_CHANGE = "trial_for_change"
    FINAL_STAGE = "final_stage"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return PHASES[self].label

    @property
    def description(self) -> str:
        return PHASES[self].description

    @property
    def tag_colour(self) -> str:
        return PHASES[self].tag_colour


class Outcome(StrEnum):
    REUNIFIED = "reunified"
    FAMILY_OR_FRIENDS = "family_or_friends"
    FOSTERING_OR_ADOPTION = "fostering_or_adoption"
    RETURNED_TO_STANDARD_PROCEEDINGS = "returned_to_standard_proceedings"

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self]


@dataclass(frozen=True)
class PhaseInfo:
    label: str
    description: str
    typical_weeks: str  # weeks from the issue of proceedings
    tag_colour: str  # the GOV.UK tag modifier the case list and page use


# One table: labels, what happens, typical timing. The order is the journey's order.
PHASES: dict[Phase, PhaseInfo] = {
    Phase.REFERRAL: PhaseInfo(
        "Referral",
        "The local authority refers the family",
        "before week 0 to week 1",
        "grey",
    ),
    Phase.ASSESSMENT: PhaseInfo(
        "Assessment",
        "First hearing, intervention planning meeting, parents sign up at the FCMH",
        "weeks 1 to 4",
        "light-blue",
    ),
    Phase.TRIAL_FOR_CHANGE: PhaseInfo(
        "Trial for change",
        "Fortnightly non-lawyer reviews, intervention planning meetings, testing throughout",
        "weeks 4 to about 20",
        "blue",
    ),
    Phase.FINAL_STAGE: PhaseInfo(
        "Final stage",
        "Issues resolution hearing, final hearing and order",
        "weeks 20 to 26",
        "purple",
    ),
    Phase.CLOSED: PhaseInfo("Closed", "Proceedings ended and the outcome recorded", "", "green"),
}

OUTCOME_LABELS = {
    Outcome.REUNIFIED: "Reunified with the parent or parents",
    Outcome.FAMILY_OR_FRIENDS: "Placed with family or friends (kinship care, special guardianship)",
    Outcome.FOSTERING_OR_ADOPTION: "Long-term fostering or adoption",
    Outcome.RETURNED_TO_STANDARD_PROCEEDINGS: "Left FDAC and returned to standard proceedings",
}

_ORDER = list(PHASES)


class PhaseChangeError(FieldError):
    """A phase move the programme does not allow; `field` names the form field at fault."""

    def __init__(self, message: str, field: str = "to_phase"):
        super().__init__(message, field)


def next_phases(current: Phase) -> list[Phase]:
    """Where a case can go from `current`.

    Forward one step, or closed from any open phase (a family can leave FDAC at any time);
    back one step to correct a mistaken move. Closed is final: proceedings have ended.
    """
    if current is Phase.CLOSED:
        return []
    i = _ORDER.index(current)
    moves = []
    if i > 0:
        moves.append(_ORDER[i - 1])
    if _ORDER[i + 1] is not Phase.CLOSED:
        moves.append(_ORDER[i + 1])
    moves.append(Phase.CLOSED)
    return moves


def is_backward(current: Phase, target: Phase) -> bool:
    return _ORDER.index(target) < _ORDER.index(current)


def check_phase_change(
    current: Phase,
    target: Phase,
    *,
    changed_on: date,
    today: date,
    last_change_on: date | None,
    outcome: Outcome | None,
    note: str,
) -> None:
    """Raise PhaseChangeError unless moving a case from `current` to `target` is allowed."""
    if target not in next_phases(current):
        raise PhaseChangeError(f"A case cannot move from {current.label} to {target.label}")
    if changed_on > today:
        raise PhaseChangeError("Date of the change must be today or in the past", "changed_on")
    if last_change_on and changed_on < last_change_on:
        raise PhaseChangeError(
            "Date of the change must be on or after the last phase change", "changed_on"
        )
    if target is Phase.CLOSED and outcome is None:
        raise PhaseChangeError("Select the outcome of the proceedings", "outcome")
    if target is not Phase.CLOSED and outcome is not None:
        raise PhaseChangeError("Only a closed case has an outcome", "outcome")
    if is_backward(current, target) and not note.strip():
        raise PhaseChangeError("Enter why the case is moving back a phase", "note")
