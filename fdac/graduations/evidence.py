"""The record, read into the pure shapes of eligibility.py and outcomes.py.

The case page reads one case (each parent's series through testing_results.services, as the
results pages do); the outcomes page reads every closed case of a team in a fixed number of
queries, whatever the number of cases or parents.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy import func, select

from fdac.cases.models import Case, Child, Parent, PhaseChange
from fdac.cases.phases import Phase
from fdac.extensions import db
from fdac.graduations.criteria import DEFAULT_CRITERIA, Criteria
from fdac.graduations.eligibility import Evidence, TestDay
from fdac.graduations.models import GraduationCriteria
from fdac.graduations.outcomes import ClosedCase, stopped_misusing
from hearings.kinds import HearingKind, HearingStatus
from hearings.models import Hearing
from testing_results.interpret import Interpreted, effective, interpret
from testing_results.models import Prescription, TestResult
from testing_results.services import (
    chain_samples,
    histories,
    parent_testing,
    prescription_periods,
    result_details,
)

_OPEN_PHASES = (Phase.REFERRAL, Phase.ASSESSMENT, Phase.TRIAL_FOR_CHANGE, Phase.FINAL_STAGE)


def team_criteria(team_id: int) -> Criteria:
    """The team's graduation criteria, or the defaults when it has not set its own."""
    row = db.session.scalar(select(GraduationCriteria).where(GraduationCriteria.team_id == team_id))
    return row.rule() if row is not None else DEFAULT_CRITERIA


def trial_completed(phases: Sequence[Phase]) -> bool:
    """Did the case move on from the trial for change to the final stage, and stay past it?

    `phases`: where each phase change took the case, oldest first. The last open phase the case
    was in decides: the final stage (then perhaps closed) means the trial was completed; a case
    moved back to the trial, or closed straight from it (the family left FDAC), did not.
    """
    open_phases = [phase for phase in phases if phase in _OPEN_PHASES]
    return bool(open_phases) and open_phases[-1] is Phase.FINAL_STAGE


def final_hearings(case_ids: Sequence[int], today: date) -> dict[int, date]:
    """Per case, its final hearing: the latest held, else the next booked (else the last booked
    one whose outcome is not recorded yet). Cancelled hearings do not count."""
    held: dict[int, date] = {}
    ahead: dict[int, date] = {}
    behind: dict[int, date] = {}
    for case_id, day, status in db.session.execute(
        select(Hearing.case_id, Hearing.day, Hearing.status)
        .where(
            Hearing.case_id.in_(case_ids),
            Hearing.kind == HearingKind.FINAL_HEARING,
            Hearing.status != HearingStatus.CANCELLED,
        )
        .order_by(Hearing.day)
    ):
        if status is HearingStatus.HELD:
            held[case_id] = day  # ordered by day: the last one wins
        elif day >= today:
            ahead.setdefault(case_id, day)
        else:
            behind[case_id] = day
    return {cid: held.get(cid) or ahead.get(cid) or behind[cid] for cid in {*held, *ahead, *behind}}


def _test_days(series: Iterable[Interpreted]) -> list[TestDay]:
    return [TestDay(item.sample.collected_on, item.overall) for item in series]


def parent_tests(parent: Parent) -> list[TestDay]:
    """One parent's tests as they count (current versions, confirmations over screens)."""
    return _test_days(parent_testing(parent).series)


def case_evidence(case: Case, today: date) -> dict[int, Evidence]:
    """Per parent of `case`: the evidence its graduation criteria are checked against."""
    completed = trial_completed([change.to_phase for change in case.phase_changes])
    final_on = final_hearings([case.id], today).get(case.id)
    return {
        parent.id: Evidence(case.outcome, completed, final_on, tuple(parent_tests(parent)))
        for parent in case.parents
    }


# --------------------------------------------------------------------- many parents at once


def parents_tests(parent_ids: Sequence[int]) -> dict[int, list[TestDay]]:
    """Per parent, the same series as parent_tests(), for many parents in four queries.

    Built from the same pieces as testing_results.services.parent_testing (result_details,
    histories, chain_samples, effective, interpret), so both read a result the same way.
    """
    if not parent_ids:
        return {}
    results: dict[int, list[TestResult]] = defaultdict(list)
    for result in db.session.scalars(
        select(TestResult)
        .where(TestResult.parent_id.in_(parent_ids))
        .order_by(TestResult.collected_on, TestResult.id)
    ):
        results[result.parent_id].append(result)
    readings, segments = result_details(parent_ids)
    prescriptions: dict[int, list[Prescription]] = defaultdict(list)
    for prescription in db.session.scalars(
        select(Prescription)
        .where(Prescription.parent_id.in_(parent_ids))
        .order_by(Prescription.starts_on)
    ):
        prescriptions[prescription.parent_id].append(prescription)

    series: dict[int, list[TestDay]] = {}
    for parent_id in parent_ids:
        chains = histories(results.get(parent_id, []))
        periods = prescription_periods(prescriptions.get(parent_id, []))
        samples = chain_samples(chains, readings, segments)
        series[parent_id] = _test_days(
            Interpreted(sample, interpret(sample, periods)) for sample in effective(samples)
        )
    return series


def closed_cases(cases: Sequence[Case]) -> list[ClosedCase]:
    """The closed cases among `cases`, as the outcomes rule reads them (seven queries)."""
    closed = [case for case in cases if case.is_closed]
    ids = [case.id for case in closed]
    if not ids:
        return []
    closed_on = dict(
        db.session.execute(
            select(PhaseChange.case_id, func.max(PhaseChange.changed_on))
            .where(PhaseChange.case_id.in_(ids), PhaseChange.to_phase == Phase.CLOSED)
            .group_by(PhaseChange.case_id)
        ).all()
    )
    children = dict(
        db.session.execute(
            select(Child.case_id, func.count(Child.id))
            .where(Child.case_id.in_(ids))
            .group_by(Child.case_id)
        ).all()
    )
    parents: dict[int, list[int]] = defaultdict(list)
    for case_id, parent_id in db.session.execute(
        select(Parent.case_id, Parent.id).where(Parent.case_id.in_(ids)).order_by(Parent.id)
    ):
        parents[case_id].append(parent_id)
    tests = parents_tests([pid for pids in parents.values() for pid in pids])
    return [
        ClosedCase(
            closed_on=closed_on[case.id],
            outcome=case.outcome,
            children=children.get(case.id, 0),
            parents_stopped=tuple(
                stopped_misusing(tests[pid], closed_on[case.id]) for pid in parents[case.id]
            ),
        )
        for case in closed
        if case.id in closed_on  # a case closed without its phase history is not counted
    ]
