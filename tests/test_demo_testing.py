"""The demo team's testing history: what `flask fdac demo-data` promises to show."""

import random
import time
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from fdac.cases.models import Case
from fdac.cases.phases import Outcome, Phase
from fdac.dates import london_today
from fdac.demo_testing import Feature, Timeline, choose_profile, plan_parent
from fdac.extensions import db
from testing_results import services
from testing_results.interpret import Overall, Reading, Status
from testing_results.models import Method, Prescription, TestResult
from testing_results.panels import Matrix, Substance

IN_TRIAL_OR_LATER = (Phase.TRIAL_FOR_CHANGE, Phase.FINAL_STAGE, Phase.CLOSED)


def test_demo_data_shows_a_realistic_testing_history(app, record_property):
    """One load (about 2 seconds), then each promise in turn."""
    started = time.perf_counter()
    result = app.test_cli_runner().invoke(args=["fdac", "demo-data"])
    seconds = time.perf_counter() - started
    assert result.exit_code == 0, result.output
    count = db.session.scalar(select(func.count(TestResult.id)))
    record_property("demo_load_seconds", round(seconds, 2))
    print(f"\nflask fdac demo-data: {seconds:.1f}s, {count} test results")  # shown with -s
    today = london_today()
    _every_parent_in_the_trial_starts_with_peth_and_hair_then_screens_most_weeks(today)
    _before_the_trial_only_a_first_peth_and_hair_test()
    _no_result_is_dated_in_the_future_or_before_the_family_entered_fdac(today)
    _hair_tests_have_three_segments_six_drug_groups_and_the_labs_cutoffs()
    _the_demo_shows_every_kind_of_result_at_least_once()


def _trial(case: Case, today: date) -> tuple[date, date]:
    """The days the trial's testing runs: from the start of the trial to closing or today."""
    changed = {c.to_phase: c.changed_on for c in case.phase_changes}
    start = changed.get(Phase.TRIAL_FOR_CHANGE, case.entered_on + timedelta(weeks=4))
    end = changed.get(Phase.CLOSED, today) if case.phase is Phase.CLOSED else today
    return start, end


def _results(**where) -> list[TestResult]:
    query = select(TestResult).filter_by(**where)
    return list(db.session.scalars(query))


def _every_parent_in_the_trial_starts_with_peth_and_hair_then_screens_most_weeks(today):
    cases = list(db.session.scalars(select(Case).where(Case.phase.in_(IN_TRIAL_OR_LATER))))
    assert cases
    for case in cases:
        start, end = _trial(case, today)
        for parent in case.parents:
            results = _results(parent_id=parent.id)
            for matrix in (Matrix.PETH, Matrix.HAIR):
                assert any(
                    r.matrix is matrix
                    and r.method is Method.LABORATORY
                    and start <= r.collected_on <= start + timedelta(days=7)
                    for r in results
                ), (case.reference, parent.name, matrix)
            screened = {
                (r.collected_on - start).days // 7
                for r in results
                if r.method is Method.POINT_OF_CARE and r.status is Status.RESULT
            }
            weeks = range((end - start).days // 7)  # whole weeks of the trial so far
            covered = sum(1 for w in weeks if w in screened)
            assert covered >= 0.8 * len(weeks), (case.reference, parent.name, covered, len(weeks))
            assert all(r.collected_on <= end for r in results if r.method is Method.POINT_OF_CARE)


def _before_the_trial_only_a_first_peth_and_hair_test():
    for case in db.session.scalars(select(Case).where(Case.phase == Phase.REFERRAL)):
        assert not _results(case_id=case.id)
    for case in db.session.scalars(select(Case).where(Case.phase == Phase.ASSESSMENT)):
        for parent in case.parents:
            kinds = sorted(r.matrix for r in _results(parent_id=parent.id))
            assert kinds in ([], sorted([Matrix.PETH, Matrix.HAIR]))


def _no_result_is_dated_in_the_future_or_before_the_family_entered_fdac(today):
    for case in db.session.scalars(select(Case)):
        for result in _results(case_id=case.id):
            assert case.entered_on <= result.collected_on <= today, result.id
            if result.reported_on is not None:
                assert result.collected_on <= result.reported_on <= today, result.id


def _hair_tests_have_three_segments_six_drug_groups_and_the_labs_cutoffs():
    hair = [r for r in _results(matrix=Matrix.HAIR) if r.amends_id is None]
    assert hair
    for result in hair:
        assert [(s.from_cm, s.to_cm) for s in result.segments] == [(0, 1), (1, 2), (2, 3)]
        drugs = {r.substance for r in result.readings if r.substance is not Substance.ALCOHOL}
        assert {
            Substance.COCAINE,
            Substance.CANNABIS,
            Substance.AMPHETAMINE,
            Substance.METHAMPHETAMINE,
            Substance.OPIATES,
            Substance.BENZODIAZEPINES,
        } <= drugs
        benzos = [r for r in result.readings if r.substance is Substance.BENZODIAZEPINES]
        assert all(r.cutoff == Decimal("0.05") for r in benzos)
    assert any(r.substance is Substance.ALCOHOL for h in hair for r in h.readings)  # EtG


def _the_demo_shows_every_kind_of_result_at_least_once():
    assert _results(status=Status.MISSED) and _results(status=Status.REFUSED)
    assert all(r.status_reason for r in _results(status=Status.MISSED))

    dilute = [r for r in _results(matrix=Matrix.URINE) if r.creatinine_mg_dl == 12]
    assert dilute

    (amended,) = [r for r in _results() if r.amends_id is not None]
    assert amended.amendment_reason == "Breath reading typed as 3.5, the device showed 0.0"
    assert (amended.amends.value, amended.value) == (Decimal("3.5"), 0)

    confirmations = [r for r in _results() if r.confirms_id is not None]
    assert confirmations
    screen = confirmations[0].confirms
    assert screen.method is Method.POINT_OF_CARE and screen.matrix is Matrix.ORAL_FLUID
    assert any(r.screen is Reading.POSITIVE for r in screen.readings)

    assert db.session.scalar(select(func.count(Prescription.id))) == 1
    prescription = db.session.scalar(select(Prescription))
    testing = services.parent_testing(prescription.parent)
    overall = [i.overall for i in testing.series]
    assert Overall.CONSISTENT_WITH_PRESCRIPTION in overall

    # Across the team: the dilute urine reads as dilute, and the lab overturned the screen.
    seen, overturned = set(), False
    for case in db.session.scalars(select(Case)):
        for parent in case.parents:
            testing = services.parent_testing(parent)
            seen |= {i.overall for i in testing.series}
            for history in testing.results:
                lab = history.confirmed_by
                if lab is not None and lab.interpreted.overall is Overall.NEGATIVE:
                    overturned |= history.interpreted.overall is Overall.POSITIVE
    assert {Overall.DILUTE, Overall.POSITIVE, Overall.NEGATIVE, Overall.MISSED} <= seen
    assert overturned


def _timeline(today: date, phase: Phase) -> Timeline:
    entered = today - timedelta(weeks=30)
    trial = entered + timedelta(weeks=4)
    return Timeline(
        entered=entered,
        assessment_start=entered + timedelta(weeks=1),
        trial_start=trial,
        final_start=entered + timedelta(weeks=20),
        end=entered + timedelta(weeks=28) if phase is Phase.CLOSED else today,
        today=today,
    )


def _plan(seed: int, tl: Timeline):
    rng = random.Random(seed)
    features = set(Feature)
    return plan_parent(rng, choose_profile(rng, Outcome.REUNIFIED, features), tl, features)


@pytest.mark.parametrize("phase", [Phase.FINAL_STAGE, Phase.CLOSED])
def test_a_plan_is_the_same_for_the_same_seed_and_always_dated_in_bounds(phase):
    for offset in range(7):  # every weekday `today` can fall on
        tl = _timeline(date(2026, 3, 2) + timedelta(days=offset), phase)
        plan = _plan(7, tl)
        assert plan == _plan(7, tl)
        assert plan.confirm and plan.amend and plan.prescription
        for draft in [*plan.drafts, plan.confirm[1], plan.amend[1]]:
            assert tl.entered <= draft.sample.collected_on <= tl.today
            if draft.method is Method.POINT_OF_CARE:
                assert tl.trial_start <= draft.sample.collected_on <= tl.end
            if draft.reported_on:
                assert draft.sample.collected_on <= draft.reported_on <= tl.today
