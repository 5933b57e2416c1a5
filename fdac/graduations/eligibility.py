"""Which graduation criteria a parent meets, computed from the record. Pure: rows and `today`
in, checks out. Confirming a graduation stays a manager's decision: this only informs it."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from fdac.cases.phases import Outcome
from fdac.dates import uk_date
from fdac.graduations.criteria import FAMILY_OUTCOMES, Criteria
from testing_results.interpret import Overall


@dataclass(frozen=True)
class TestDay:
    __test__ = False  # a test result's day, not a pytest test class (its name starts "Test")

    day: date
    overall: Overall


@dataclass(frozen=True)
class Evidence:
    outcome: Outcome | None  # the final order, once made
    trial_completed: bool  # the case moved on from the trial for change to the final stage
    final_hearing_on: date | None  # the final hearing, held or booked
    tests: Sequence[TestDay] = ()


@dataclass(frozen=True)
class Check:
    key: str
    label: str
    met: bool
    detail: str


def clean_weeks_before(tests: Sequence[TestDay], end: date, weeks: int) -> tuple[bool, str]:
    """Were the `weeks` weeks before `end` each tested, and every test negative or explained?"""
    start = end - timedelta(weeks=weeks)
    window = sorted((t for t in tests if start <= t.day < end), key=lambda t: t.day)
    bad = [t for t in window if not t.overall.is_negative]
    if bad:
        first = bad[0]
        return False, f"{first.overall.label} on {uk_date(first.day)}"
    untested = [
        start + timedelta(weeks=n)
        for n in range(weeks)
        if not any(start + timedelta(weeks=n) <= t.day < start + timedelta(weeks=n + 1)
                   for t in window)
    ]  # fmt: skip
    if untested:
        return False, f"No test in the week from {uk_date(untested[0])}"
    return True, f"{len(window)} tests, all negative or explained"


def eligibility(criteria: Criteria, evidence: Evidence, today: date) -> list[Check]:
    """One check per criterion the team uses, each met or not with a reason a person reads."""
    checks = []
    if criteria.final_order_with_family:
        met = evidence.outcome in FAMILY_OUTCOMES
        detail = evidence.outcome.label if evidence.outcome else "No final order recorded yet"
        checks.append(
            Check(
                "final_order",
                "Final order made: the children live with the parent or family",
                met,
                detail,
            )
        )
    if criteria.trial_completed:
        checks.append(
            Check(
                "trial_completed",
                "Trial for change completed",
                evidence.trial_completed,
                "Moved on to the final stage" if evidence.trial_completed else "Not yet completed",
            )
        )
    if criteria.clean_weeks:
        # A final hearing still to come cannot close the window: its weeks are not all tested
        # yet, and a reason naming a week in the future helps no one. Until it is held, the
        # window ends today.
        end, before = today, "today"
        if evidence.final_hearing_on is not None and evidence.final_hearing_on <= today:
            end, before = evidence.final_hearing_on, "the final hearing"
        met, detail = clean_weeks_before(evidence.tests, end, criteria.clean_weeks)
        checks.append(
            Check(
                "clean_weeks",
                f"{criteria.clean_weeks} weeks of negative or explained tests before {before}",
                met,
                detail,
            )
        )
    return checks


def eligible(checks: Sequence[Check]) -> bool:
    return all(check.met for check in checks)
