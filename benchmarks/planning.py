"""Planning a year of non-lawyer reviews for every active case in the country's FDAC courts.

Pure, as the planner is: no database. Built in memory: courts, each with two or three judges
sitting two or three weekdays with 6 to 8 slots; each judge away about six weeks a year in blocks
of one or two weeks; three to five closure days a court a year. Cases go to judges in proportion
to their slots (a court is sized to its list), their trials started on days spread over the year
before `start`, so every case is active with a year of reviews ahead.

Timed: hearings.planner.plan for every court, `until` a year on, `today` = start (the whole
year's plan), and the same for one case alone, so the ratio shows how the planner scales.
"""

import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, time, timedelta

from benchmarks.timing import Subject, Timing, compare
from hearings.calendar import Absence, Court, Sitting, first_on_weekday
from hearings.planner import CaseToPlan, Placement, plan

YEAR = timedelta(weeks=52)
ABSENT_WEEKS = 6  # judicial leave: about six weeks a year
CLOSURES = (3, 5)  # closure days a court a year (training, building works)


@dataclass(frozen=True)
class Country:
    courts: list[tuple[Court, list[CaseToPlan]]]
    judges: int
    start: date

    @property
    def cases(self) -> int:
        return sum(len(cases) for _, cases in self.courts)


@dataclass(frozen=True)
class PlanningFigures:
    whole: Timing  # every court's year
    one_case: Timing
    courts: int
    judges: int
    cases: int
    booked: int  # on the rhythm date
    moved: int
    unplaced: int


def _absences(rng: random.Random, judge_id: int, start: date) -> list[Absence]:
    """About six weeks off in one- and two-week blocks, Monday to Friday, never overlapping."""
    weeks: set[int] = set()
    absences = []
    monday = first_on_weekday(start, 0)
    while len(weeks) < ABSENT_WEEKS:
        length = min(rng.choice([1, 2]), ABSENT_WEEKS - len(weeks))
        first = rng.randrange(0, 52 - length)
        block = set(range(first, first + length))
        if block & weeks:
            continue
        weeks |= block
        begins = monday + timedelta(weeks=first)
        absences.append(Absence(judge_id, begins, begins + timedelta(weeks=length, days=-3)))
    return absences


def build(*, courts: int, cases: int, start: date, seed: int = 2026) -> Country:
    rng = random.Random(seed)
    built = []  # (sittings, closures, absences) per court
    judges = []  # (court index, judge id, weekly slots, sittings)
    sitting_id = judge_id = 0
    for court in range(courts):
        sittings, absences = [], []
        for _ in range(rng.choice([2, 3])):
            judge_id += 1
            mine = []
            for weekday in sorted(rng.sample(range(5), rng.choice([2, 3]))):
                sitting_id += 1
                starts_at = rng.choice([time(10), time(14)])
                mine.append(
                    Sitting(sitting_id, weekday, judge_id, starts_at, 30, rng.randint(6, 8))
                )
            sittings.extend(mine)
            absences.extend(_absences(rng, judge_id, start))
            judges.append((court, judge_id, sum(s.slots for s in mine), mine))
        closed = {}
        while len(closed) < rng.randint(*CLOSURES):
            day = start + timedelta(days=rng.randrange(365))
            if day.weekday() < 5:
                closed[day] = "Staff training"
        built.append((tuple(sittings), closed, tuple(absences)))

    planned: list[list[CaseToPlan]] = [[] for _ in range(courts)]
    weights = [slots for _, _, slots, _ in judges]
    for case_id in range(1, cases + 1):
        court, judge, _, mine = rng.choices(judges, weights=weights)[0]
        sitting = rng.choices(mine, weights=[s.slots for s in mine])[0]
        planned[court].append(
            CaseToPlan(
                case_id=case_id,
                judge_id=judge,
                first_nlr=start - timedelta(days=rng.randrange(365)),
                until=start + YEAR,
                sitting_id=sitting.id,
            )
        )
    return Country(
        courts=[
            (Court(sittings=s, closures=c, absences=a), planned[i])
            for i, (s, c, a) in enumerate(built)
        ],
        judges=len(judges),
        start=start,
    )


def plan_country(country: Country) -> list[Placement]:
    placements = []
    for court, cases in country.courts:
        placements.extend(plan(court, cases, [], country.start))
    return placements


def _check(country: Country, placements: list[Placement]) -> None:
    """The rules hold at this scale too: a broken rule is a failure, not a figure."""
    per_sitting = Counter((p.sitting_id, p.day) for p in placements if p.day)
    per_case_day = Counter((p.case_id, p.day) for p in placements if p.day)
    court_of = {s.id: court for court, _ in country.courts for s in court.sittings}
    for (sitting_id, day), families in per_sitting.items():
        court = court_of[sitting_id]
        sitting = court.sitting(sitting_id)
        if families > sitting.slots or court.unavailable_because(day, sitting.judge_id):
            raise RuntimeError(f"sitting {sitting_id} on {day}: {families} families")
    if per_case_day and max(per_case_day.values()) > 1:
        raise RuntimeError("a case has two reviews on one day")


def run(*, courts: int, cases: int, start: date, runs: int, warmups: int) -> PlanningFigures:
    country = build(courts=courts, cases=cases, start=start)
    court, court_cases = country.courts[0]
    one = court_cases[:1]
    timings = compare(
        {
            "whole": Subject(lambda: plan_country(country)),
            "one": Subject(lambda: plan(court, one, [], start)),
        },
        runs=runs,
        warmups=warmups,
    )
    placements = plan_country(country)
    _check(country, placements)
    return PlanningFigures(
        whole=timings["whole"],
        one_case=timings["one"],
        courts=len(country.courts),
        judges=country.judges,
        cases=country.cases,
        booked=sum(1 for p in placements if p.day is not None and not p.flagged),
        moved=sum(1 for p in placements if p.day is not None and p.flagged),
        unplaced=sum(1 for p in placements if p.day is None),
    )
