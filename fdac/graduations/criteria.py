"""Graduation criteria: a team's choice (configurable in Team settings), these by default."""

from dataclasses import dataclass

from fdac.cases.phases import Outcome

# "Final order made with the child or children living with the parent or family" (issue 5).
FAMILY_OUTCOMES = frozenset({Outcome.REUNIFIED, Outcome.FAMILY_OR_FRIENDS})
MAX_CLEAN_WEEKS = 26


@dataclass(frozen=True)
class Criteria:
    final_order_with_family: bool = True
    trial_completed: bool = True
    # Weeks of negative or explained tests before the final hearing; 0: not a criterion.
    clean_weeks: int = 8


DEFAULT_CRITERIA = Criteria()
