"""Retention: which closed cases are due to be anonymised, and what each field becomes. Pure.

A case is kept as it was for FDAC_RETENTION_YEARS (default 6) after the day it closed, then
anonymised: the people's names become stand-ins, their dates of birth are reduced, every piece
of free text about them is removed, and the figures for outcomes (phases and their dates, the
outcome, tests and their interpretations, attendance, contacts counted, graduation) stay.

Why 6 years (docs/decisions/0035): the Limitation Act 1980 (ss. 2 and 5) gives six years for
most civil claims, including one about how the service treated a family, and the record the
law requires to be kept for longer is the local authority's and the court's, not the FDAC
team's working record. The controller's DPO confirms or changes it (docs/data-protection.md).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

DEFAULT_YEARS = 6
# What free text about a person becomes: nothing. (A page shows no note rather than a stand-in.)
REMOVED = ""
# What an issued document's frozen figures become: the live figures stay in the record.
FROZEN_SUMMARY_REMOVED = (
    '<p class="govuk-body">The progress summary issued with this document was removed when '
    "the case was anonymised at the end of its retention period. The case's figures are kept.</p>"
)


class Rule(StrEnum):
    """What one field becomes when its case is anonymised."""

    REMOVE = "remove"  # free text: emptied
    FORGET = "forget"  # an identifier another system could resolve: set to NULL
    STAND_IN = "stand_in"  # a name: "Mother", "Child A" (as exports say, decision 0021)
    BIRTH_MONTH = "birth_month"  # a child's date of birth: the first of its month
    BIRTH_YEAR = "birth_year"  # a parent's date of birth: 1 July of its year
    CASE_NUMBER = "case_number"  # the court's number, which the court's file resolves
    HEADER = "header"  # an issued document's frozen header: the court's number replaced
    SUMMARY = "summary"  # an issued document's frozen summary: FROZEN_SUMMARY_REMOVED


# Every column with something about a person in it, by table. Everything not named stays:
# dates, phases, outcomes, kinds, statuses, values, cut-offs, counts, attendance, and the
# staff who did the work (they are not the people the record is about).
FIELDS: dict[str, dict[str, Rule]] = {
    "cases": {"court_case_number": Rule.CASE_NUMBER},
    "parents": {"name": Rule.STAND_IN, "date_of_birth": Rule.BIRTH_YEAR},
    "children": {"name": Rule.STAND_IN, "date_of_birth": Rule.BIRTH_MONTH},
    "phase_changes": {"note": Rule.REMOVE},
    "contacts": {"note": Rule.REMOVE},
    "case_contact_targets": {"reason": Rule.REMOVE},
    "test_results": {
        "status_reason": Rule.REMOVE,
        "amendment_reason": Rule.REMOVE,
        "note": Rule.REMOVE,
        "lab_reference": Rule.REMOVE,  # the laboratory's own file resolves it
        "import_key": Rule.FORGET,  # carries the laboratory's reference
    },
    "prescriptions": {
        "medication": Rule.REMOVE,  # the substance stays: it explains a positive
        "dose": Rule.REMOVE,
        "prescriber": Rule.REMOVE,
        "note": Rule.REMOVE,
    },
    "hearings": {"move_reason": Rule.REMOVE, "cancel_reason": Rule.REMOVE},
    "hearing_changes": {"reason": Rule.REMOVE},
    "hearing_outcomes": {
        "others_present": Rule.REMOVE,
        "goals": Rule.REMOVE,
        "note": Rule.REMOVE,
        "amend_reason": Rule.REMOVE,
    },
    "proceedings_extensions": {"reason": Rule.REMOVE},
    "flags": {"message": Rule.REMOVE},
    "graduations": {"note": Rule.REMOVE, "mentor_note": Rule.REMOVE},
    "support_contacts": {"note": Rule.REMOVE},
    "court_document_versions": {
        "going_well": Rule.REMOVE,
        "not_going_well": Rule.REMOVE,
        "goals_proposed": Rule.REMOVE,
        "attendance": Rule.REMOVE,
        "note": Rule.REMOVE,
        "goals_agreed": Rule.REMOVE,
        "next_steps": Rule.REMOVE,
        "revision_reason": Rule.REMOVE,
        "returned_reason": Rule.REMOVE,
        "frozen_summary": Rule.SUMMARY,
        "frozen_header": Rule.HEADER,
    },
}


def retention_ends(closed_on: date, years: int) -> date:
    """The first day a case closed on `closed_on` may be anonymised: the same day `years`
    later (29 February becomes 1 March in a year that has none)."""
    if years < 1:
        raise ValueError("The retention period must be at least 1 year")
    try:
        return closed_on.replace(year=closed_on.year + years)
    except ValueError:  # 29 February
        return date(closed_on.year + years, 3, 1)


def closed_on(moves: Iterable[tuple[str, date]]) -> date | None:
    """The day a case closed: the last move into 'closed' of its (to_phase, changed_on) moves;
    None when it never closed."""
    days = [day for to_phase, day in moves if to_phase == "closed"]
    return max(days, default=None)


@dataclass(frozen=True)
class CaseState:
    """What decides whether one case is due: its phase, when it closed, whether it is done."""

    case_id: int
    phase: str
    closed_on: date | None
    anonymised_on: date | None


def is_due(case: CaseState, today: date, years: int) -> bool:
    """A closed case, not anonymised yet, whose retention period has ended by `today`. A case
    with no recorded closure day is never due: the period cannot be counted from nothing."""
    if case.phase != "closed" or case.anonymised_on is not None or case.closed_on is None:
        return False
    return today >= retention_ends(case.closed_on, years)


def due(cases: Iterable[CaseState], today: date, years: int) -> list[int]:
    """The ids of the cases due, in id order (the job's order: oldest case first)."""
    return sorted(c.case_id for c in cases if is_due(c, today, years))


def birth_month(born: date) -> date:
    """A child's date of birth reduced to its month: the age at entry stays right to a month,
    which is what the figures use (babies under one are counted apart)."""
    return born.replace(day=1)


def birth_year(born: date) -> date:
    """A parent's date of birth reduced to its year (mid-year, so an age is at most half a
    year out either way)."""
    return date(born.year, 7, 1)


def _letters(n: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: as court judgments letter children."""
    letters = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


ORDINALS = ("First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth")


def parent_stand_ins(relationships: Sequence[str]) -> list[str]:
    """The stand-in for each parent, in the order given, from their relationship's label:
    "Mother", "Father"; "First mother", "Second mother" when two share one."""
    counts: dict[str, int] = {}
    for label in relationships:
        counts[label] = counts.get(label, 0) + 1
    seen: dict[str, int] = {}
    names = []
    for label in relationships:
        if counts[label] == 1:
            names.append(label)
            continue
        n = seen[label] = seen.get(label, 0) + 1
        word = ORDINALS[n - 1] if n <= len(ORDINALS) else f"{n}th"
        names.append(f"{word} {label[:1].lower()}{label[1:]}")
    return names


def child_stand_ins(births: Sequence[date]) -> list[str]:
    """The stand-in for each child, in the order given: "Child A" the oldest, then by date of
    birth (children born the same day keep the order given)."""
    order = sorted(range(len(births)), key=lambda i: (births[i], i))
    names = [""] * len(births)
    for n, i in enumerate(order):
        names[i] = f"Child {_letters(n)}"
    return names


def case_number_stand_in(case_id: int) -> str:
    """The court's case number replaced: unique (as the column must be), naming nothing."""
    return f"ANON-{case_id}"


def header_without_number(header: dict | None, case_id: int) -> dict | None:
    """An issued document's frozen header with the court's case number replaced; the court,
    the judge, the period, the author and the approver stay (staff and dates, no family)."""
    if header is None:
        return None
    return {
        key: (case_number_stand_in(case_id) if key == "case_number" else value)
        for key, value in header.items()
    }
