"""The kinds of flag, in one table: what each is called and whether a job clears it."""

from dataclasses import dataclass


@dataclass(frozen=True)
class FlagKind:
    label: str
    # True: the daily job raises and clears it from the data. False: a person marks it seen.
    computed: bool


FLAG_KINDS: dict[str, FlagKind] = {
    "hearing_moved": FlagKind("Review moved from its planned date", computed=False),
    "review_not_booked": FlagKind("Review could not be booked", computed=False),
    "no_nlr_soon": FlagKind("No review in the next 14 days", computed=True),
    "outcome_missing": FlagKind("Hearing without an outcome", computed=True),
    "deadline_near": FlagKind("Near the 26-week deadline", computed=True),
    "final_past_deadline": FlagKind("Final hearing after the deadline", computed=True),
}
