"""Programme outcomes for closed cases, per year of closing, as evaluations measure them.

Pure. Reunified: the share of children whose case ended with them back with their primary carer
(outcome "reunified"). Stopped misusing: the share of parents whose tests through the final 4
weeks of the case were all negative or explained, with at least one test in each week.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from fdac.cases.phases import Outcome
from fdac.graduations.eligibility import TestDay, clean_weeks_before

FINAL_WEEKS = 4


@dataclass(frozen=True)
class ClosedCase:
    closed_on: date
    outcome: Outcome | None
    children: int
    parents_stopped: tuple[bool, ...]


@dataclass(frozen=True)
class YearOutcomes:
    year: int
    cases: int
    children: int
    children_reunified: int
    parents: int
    parents_stopped: int

    @property
    def reunified_share(self) -> float | None:
        return self.children_reunified / self.children if self.children else None

    @property
    def stopped_share(self) -> float | None:
        return self.parents_stopped / self.parents if self.parents else None


def stopped_misusing(tests: Sequence[TestDay], closed_on: date) -> bool:
    """Negative or explained tests through the final 4 weeks before the case closed."""
    stopped, _ = clean_weeks_before(tests, closed_on, FINAL_WEEKS)
    return stopped


def outcomes_by_year(cases: Iterable[ClosedCase]) -> list[YearOutcomes]:
    """One row per calendar year of closing, oldest first."""
    years: dict[int, list[ClosedCase]] = defaultdict(list)
    for case in cases:
        years[case.closed_on.year].append(case)
    return [
        YearOutcomes(
            year=year,
            cases=len(closed),
            children=sum(c.children for c in closed),
            children_reunified=sum(c.children for c in closed if c.outcome is Outcome.REUNIFIED),
            parents=sum(len(c.parents_stopped) for c in closed),
            parents_stopped=sum(sum(c.parents_stopped) for c in closed),
        )
        for year, closed in sorted(years.items())
    ]
