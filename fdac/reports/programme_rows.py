"""The programme export's reads: a team's cases of one year, streamed in chunks of cases.

The cases come from one select read `yield_per` rows at a time (a server-side cursor on
PostgreSQL); for each chunk a fixed handful of set-based queries fetch the chunk's parents,
results, readings, prescriptions, contacts and hearings, so memory holds one chunk, never the
year. Each parent's results are interpreted as testing_results.services.parent_testing does
(histories -> chain_samples -> interpret -> effective: the same functions, on plain rows).
No Flask.
"""

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, func, or_, select

from fdac.cases.models import Case, Parent, PhaseChange
from fdac.cases.phases import Phase
from fdac.contacts.compliance import Compliance, week_start
from fdac.contacts.loading import compliance_for_cases
from fdac.contacts.models import Contact
from fdac.dates import LONDON
from fdac.extensions import db
from hearings.models import Hearing
from testing_results import services
from testing_results.interpret import Interpreted, effective, interpret
from testing_results.models import Prescription, TestResult

THURSDAY = timedelta(days=3)  # from a week's Monday: the day that decides its month and year
CASE_CHUNK = 40  # cases per chunk: ~40 x 160 results a year x 4 readings in memory at once


@dataclass(frozen=True)
class TestedResult:
    """One result that counts in the year, interpreted, with what its row shows."""

    result: object  # the current version's row (TestResult columns)
    interpreted: Interpreted
    confirmed: bool  # a laboratory confirmation of a screen
    amended: bool

    @property
    def title(self) -> str:
        return TestResult.title.fget(self.result)  # the name every page gives the test


@dataclass(frozen=True)
class Chunk:
    cases: list  # rows: id, reference, court_case_number, local_authority, phase, outcome,
    # entered_on, issued_on, team_id, closed_on
    roles: dict[int, str]  # parent id -> "Mother", "Father", "Mother (2)" ...
    parents: dict[int, list[int]]  # case id -> parent ids
    results: dict[int, list[TestedResult]]  # parent id -> the year's results, oldest first
    contacts: dict[int, list]  # case id -> rows: parent_id, at, kind, outcome, minutes
    hearings: dict[int, list]  # case id -> rows: day, starts_at, kind, status, moved
    compliance: dict[int, dict[int, Compliance]]  # case id -> parent id -> weeks of the year


def _closed_on():
    return (
        select(PhaseChange.case_id, func.max(PhaseChange.changed_on).label("closed_on"))
        .where(PhaseChange.to_phase == Phase.CLOSED)
        .group_by(PhaseChange.case_id)
        .subquery()
    )


def cases_query(team_id: int, first: date, last: date):
    """The team's cases in the programme on some day from `first` to `last`."""
    closed = _closed_on()
    closed_on = closed.c.closed_on
    return (
        select(
            Case.id,
            Case.reference,
            Case.court_case_number,
            Case.local_authority,
            Case.phase,
            Case.outcome,
            Case.entered_on,
            Case.issued_on,
            Case.team_id,
            closed_on,
        )
        .outerjoin(closed, and_(closed.c.case_id == Case.id, Case.phase == Phase.CLOSED))
        .where(
            Case.team_id == team_id,
            Case.entered_on <= last,
            or_(closed_on.is_(None), closed_on >= first),
        )
        .order_by(Case.entered_on, Case.id)
    )


def years_with_cases(team_id: int, today: date) -> list[int]:
    """The years a team had a case in the programme, newest first (at least this year)."""
    earliest = db.session.scalar(select(func.min(Case.entered_on)).where(Case.team_id == team_id))
    start = min(earliest.year, today.year) if earliest else today.year
    return list(range(today.year, start - 1, -1))


def _roles(rows) -> dict[int, str]:
    """Each parent by their role only: the export never carries a family member's name."""
    roles, seen = {}, defaultdict(int)
    for parent_id, case_id, relationship in rows:
        seen[(case_id, relationship)] += 1
        n = seen[(case_id, relationship)]
        roles[parent_id] = relationship.label + (f" ({n})" if n > 1 else "")
    return roles


def _interpreted(results: list, readings: dict, segments: dict, periods) -> list[TestedResult]:
    """One parent's results as parent_testing interprets them: every chain's current version,
    confirmations over the screens they confirm."""
    chains = services.histories(results)
    samples = services.chain_samples(chains, readings, segments)
    by_root = {}
    for chain, sample in zip(chains, samples, strict=True):
        chain.interpreted = Interpreted(sample, interpret(sample, periods))
        by_root[chain.root_id] = chain
    lines = []
    for sample in effective(samples):
        chain = by_root[sample.key]
        lines.append(
            TestedResult(
                chain.current, chain.interpreted, sample.confirms is not None, bool(chain.earlier)
            )
        )
    return lines


def _testing(
    case_ids: Sequence[int], parent_ids: Sequence[int], first: date, last: date
) -> dict[int, list]:
    # Every version of the parents' results (a chain can start before the year), then keep
    # the year's: the results a year holds are what the chunk holds, at most.
    results = defaultdict(list)
    columns = [c for c in TestResult.__table__.c if c.name not in ("note", "status_reason")]
    for row in db.session.execute(
        select(*columns)
        .where(TestResult.case_id.in_(case_ids))  # indexed; the same rows as the parents'
        .order_by(TestResult.parent_id, TestResult.collected_on, TestResult.id)
    ):
        results[row.parent_id].append(row)
    periods = defaultdict(list)
    for p in db.session.scalars(
        select(Prescription)
        .where(Prescription.parent_id.in_(parent_ids))
        .order_by(Prescription.starts_on)
    ):
        periods[p.parent_id].append(p)
    readings, segments = services.result_details(parent_ids)
    tested = {}
    for parent_id in parent_ids:
        lines = _interpreted(
            results.get(parent_id, []),
            readings,
            segments,
            services.prescription_periods(periods.get(parent_id, [])),
        )
        tested[parent_id] = [t for t in lines if first <= t.result.collected_on <= last]
    return tested


def _instant(day: date) -> datetime:
    return datetime.combine(day, time(0), LONDON)


def _contacts(case_ids: Sequence[int], first: date, last: date) -> dict[int, list]:
    rows = defaultdict(list)
    for row in db.session.execute(
        select(Contact.case_id, Contact.parent_id, Contact.at, Contact.kind, Contact.outcome)
        .add_columns(Contact.minutes)
        .where(
            Contact.case_id.in_(case_ids),
            Contact.at >= _instant(first),
            Contact.at < _instant(last + timedelta(days=1)),
        )
        .order_by(Contact.case_id, Contact.at, Contact.id)
    ):
        rows[row.case_id].append(row)
    return rows


def _hearings(case_ids: Sequence[int], first: date, last: date) -> dict[int, list]:
    rows = defaultdict(list)
    for row in db.session.execute(
        select(
            Hearing.case_id,
            Hearing.day,
            Hearing.starts_at,
            Hearing.kind,
            Hearing.status,
            Hearing.planned_for,
        )
        .where(Hearing.case_id.in_(case_ids), Hearing.day.between(first, last))
        .order_by(Hearing.case_id, Hearing.day, Hearing.starts_at, Hearing.id)
    ):
        rows[row.case_id].append(row)
    return rows


def contact_weeks(first: date, last: date) -> int:
    """Weeks from the one holding `first` to the one holding `last`."""
    return (week_start(last) - week_start(first)).days // 7 + 1


def as_at(last: date, today: date) -> date:
    """The day compliance is worked out on: today for the running year; for a past year the
    Monday after the week holding its last day, so that week is complete."""
    return min(today, week_start(last) + timedelta(days=7))


def counted_weeks(compliance: Compliance, first: date, last: date):
    """The complete weeks belonging to the period: a week belongs where its Thursday falls."""
    return [w for w in compliance.weeks if w.complete and first <= w.starts_on + THURSDAY <= last]


def chunk(cases: list, first: date, last: date, today: date) -> Chunk:
    """Everything the export writes about these cases for the year, in a fixed few queries."""
    case_ids = [c.id for c in cases]
    parent_rows = db.session.execute(
        select(Parent.id, Parent.case_id, Parent.relationship_to_children)
        .where(Parent.case_id.in_(case_ids))
        .order_by(Parent.case_id, Parent.id)
    ).all()
    parents = defaultdict(list)
    for parent_id, case_id, _ in parent_rows:
        parents[case_id].append(parent_id)
    parent_ids = [row[0] for row in parent_rows]
    day = as_at(last, today)
    compliance = compliance_for_cases(cases, day, weeks=contact_weeks(first - THURSDAY, day))
    return Chunk(
        cases=cases,
        roles=_roles(parent_rows),
        parents=parents,
        results=_testing(case_ids, parent_ids, first, last) if parent_ids else {},
        contacts=_contacts(case_ids, first, last),
        hearings=_hearings(case_ids, first, last),
        compliance=compliance,
    )


def chunks(team_id: int, first: date, last: date, today: date) -> Iterator[Chunk]:
    """The year's cases of the team, `CASE_CHUNK` at a time, streamed from the database."""
    query = cases_query(team_id, first, last).execution_options(yield_per=CASE_CHUNK)
    for partition in db.session.execute(query).partitions():
        yield chunk(list(partition), first, last, today)
