"""The kinds of flag, in one table: what each is called and which job raises and clears it."""

from dataclasses import dataclass

from fdac.contacts.compliance import NO_CONTACT_DAYS
from hearings.timings import NO_NLR_WITHIN
from testing_results.overdue import TEST_OVERDUE_DAYS


@dataclass(frozen=True)
class FlagKind:
    label: str
    # The scheduled job (fdac/jobs.py id) that raises and clears it from the data each morning;
    # None: a person marks it dealt with.
    raised_by: str | None = None

    @property
    def computed(self) -> bool:
        return self.raised_by is not None


FLAG_KINDS: dict[str, FlagKind] = {
    # Raised by the planner when it moves or cannot book a review.
    "hearing_moved": FlagKind("Review moved from its planned date"),
    "review_not_booked": FlagKind("Review could not be booked"),
    "no_nlr_soon": FlagKind(f"No review in the next {NO_NLR_WITHIN.days} days", "raise-flags"),
    "outcome_missing": FlagKind("Hearing without an outcome", "raise-flags"),
    "deadline_near": FlagKind("Near the 26-week deadline", "raise-flags"),
    "final_past_deadline": FlagKind("Final hearing after the deadline", "raise-flags"),
    # One flag per parent.
    "contacts_below_target": FlagKind(
        "Below the contact target two weeks running", "raise-contact-flags"
    ),
    "no_recent_contact": FlagKind(
        f"No attended contact for {NO_CONTACT_DAYS} days", "raise-contact-flags"
    ),
    "tests_overdue": FlagKind(
        f"No test for more than {TEST_OVERDUE_DAYS} days", "raise-testing-flags"
    ),
}


def raised_by(job_id: str) -> tuple[str, ...]:
    """The kinds of flag the job `job_id` keeps in line with the data."""
    return tuple(kind for kind, info in FLAG_KINDS.items() if info.raised_by == job_id)
