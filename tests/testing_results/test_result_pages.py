"""Entering, reading and amending test results through the pages a worker uses."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from fdac.dates import london_today
from fdac.extensions import db
from testing_results.interpret import Status
from testing_results.models import Method, Prescription, TestResult
from testing_results.panels import Matrix
from tests import factories
from tests.conftest import error_summary


def _day(d: date) -> list[str]:
    return [str(d.day), str(d.month), str(d.year)]


@pytest.fixture
def family(team):
    today = london_today()
    case = factories.make_case(team, entered_on=today - timedelta(days=60))
    return case, factories.add_parent(case)


def _values(**kw):
    return {"reference": kw["case"].reference, "parent_id": kw["parent"].id}


def _screens(today, **fields):
    data = {"collected_on": _day(today), "observed": "yes", "note": ""}
    data.update(fields)
    return data


def _count(model=TestResult):
    return db.session.scalar(select(func.count(model.id)))


def test_worker_records_a_point_of_care_set_and_the_trend_changes(signed_in, family):
    case, parent = family
    worker = signed_in("practitioner")
    today = london_today()
    before = worker.get("results.parent", **_values(case=case, parent=parent))
    assert "No test results in this period yet" in before.get_text()

    worker.post(
        "results.new_screens",
        _screens(
            today,
            breath_status="result",
            breath_value="0",
            oral_fluid_status="result",
            oral_fluid_cocaine="positive",
            oral_fluid_cannabis="negative",
            urine_status="missed",
            urine_status_reason="Did not attend the clinic",
        ),
        **_values(case=case, parent=parent),
    )

    results = db.session.scalars(select(TestResult).order_by(TestResult.matrix)).all()
    assert {r.matrix for r in results} == {Matrix.BREATH, Matrix.ORAL_FLUID, Matrix.URINE}
    assert all(r.method is Method.POINT_OF_CARE and r.observed for r in results)
    page = worker.get("results.parent", **_values(case=case, parent=parent))
    summary = {
        row.dt.get_text(strip=True): row.dd.get_text(strip=True)
        for row in page.select("#trend-summary .govuk-summary-list__row")
    }
    assert summary["Tests"] == "3"
    assert summary["Positive"] == "1" and summary["Missed"] == "1" and summary["Negative"] == "1"
    assert summary["Counted as positive"].startswith("2")
    assert "Positive for Cocaine" in page.select_one("#results-table").get_text()
    assert "Missed" in page.select_one("#results-table").get_text()


def test_a_test_that_did_not_happen_needs_its_reason(signed_in, family):
    case, parent = family
    page = signed_in("practitioner").post(
        "results.new_screens",
        _screens(london_today(), urine_status="refused"),
        _expected_status=200,
        **_values(case=case, parent=parent),
    )
    assert error_summary(page) == ["Enter the reason the test did not happen"]
    assert _count() == 0


def test_nothing_is_saved_when_one_screen_of_the_set_is_wrong(signed_in, family):
    case, parent = family
    page = signed_in("practitioner").post(
        "results.new_screens",
        _screens(
            london_today(),
            breath_status="result",
            breath_value="-1",
            oral_fluid_status="result",
            oral_fluid_cocaine="negative",
        ),
        _expected_status=200,
        **_values(case=case, parent=parent),
    )
    assert error_summary(page) == ["Reading must be 0 or more"]
    assert _count() == 0


def test_collection_in_the_future_or_before_entering_fdac_is_refused(signed_in, family):
    case, parent = family
    worker = signed_in("practitioner")
    for when, message in (
        (london_today() + timedelta(days=1), "Date collected must be today or in the past"),
        (case.entered_on - timedelta(days=1), "Date collected must be on or after the date"),
    ):
        page = worker.post(
            "results.new_peth",
            {"collected_on": _day(when), "status": "result", "value": "12"},
            _expected_status=200,
            **_values(case=case, parent=parent),
        )
        assert error_summary(page)[0].startswith(message)
    assert _count() == 0


def test_peth_result_is_interpreted_with_its_band(signed_in, family):
    case, parent = family
    worker = signed_in("practitioner")
    worker.post(
        "results.new_peth",
        {
            "collected_on": _day(london_today()),
            "status": "result",
            "value": "150",
            "lab_name": "Synlab",
            "lab_reference": "P-1",
            "reported_on": _day(london_today()),
        },
        **_values(case=case, parent=parent),
    )
    result = db.session.scalar(select(TestResult))
    page = worker.get("results.result", result_id=result.id, **_values(case=case, parent=parent))
    assert "20 to 200 ng/mL: Significant drinking" in page.get_text()


def test_reported_before_collected_is_refused(signed_in, family):
    case, parent = family
    today = london_today()
    page = signed_in("practitioner").post(
        "results.new_peth",
        {
            "collected_on": _day(today),
            "reported_on": _day(today - timedelta(days=1)),
            "status": "result",
            "value": "12",
        },
        _expected_status=200,
        **_values(case=case, parent=parent),
    )
    assert error_summary(page) == ["Date reported must be on or after the date collected"]


def test_hair_result_with_three_segments_and_overlap_refused(signed_in, family):
    case, parent = family
    worker = signed_in("practitioner")
    today = london_today()
    common = {
        "collected_on": _day(today),
        "status": "result",
        "cutoff_cocaine": "0.5",
        "cutoff_benzodiazepines": "0.1",
    }
    overlap = dict(
        common,
        seg0_from="0",
        seg0_to="2",
        seg0_cocaine="0.1",
        seg1_from="1",
        seg1_to="3",
        seg1_cocaine="0.7",
    )
    page = worker.post(
        "results.new_hair", overlap, _expected_status=200, **_values(case=case, parent=parent)
    )
    assert error_summary(page) == ["Segment 2 (1 to 3 cm) overlaps segment 1 (0 to 2 cm)"]
    assert _count() == 0

    good = dict(
        common,
        seg0_from="0",
        seg0_to="1",
        seg0_cocaine="0.1",
        seg0_alcohol="31",
        seg1_from="1",
        seg1_to="2",
        seg1_cocaine="0.7",
        seg2_from="2",
        seg2_to="3",
        seg2_cocaine="0.2",
    )
    worker.post("results.new_hair", good, **_values(case=case, parent=parent))
    result = db.session.scalar(select(TestResult))
    assert [(s.from_cm, s.to_cm) for s in result.segments] == [(0, 1), (1, 2), (2, 3)]
    page = worker.get("results.result", result_id=result.id, **_values(case=case, parent=parent))
    text = page.get_text(" ")
    assert "Chronic excessive drinking" in text  # EtG 31 pg/mg
    assert "segment 1 to 2 cm" in text and "(approximately)" in text


def test_lab_confirmation_overturns_a_positive_screen(signed_in, family):
    case, parent = family
    worker = signed_in("practitioner")
    today = london_today()
    worker.post(
        "results.new_screens",
        _screens(today, urine_status="result", urine_cocaine="positive"),
        **_values(case=case, parent=parent),
    )
    screen = db.session.scalar(select(TestResult))
    worker.post(
        "results.new_lab_panel",
        {
            "confirms": str(screen.id),
            "collected_on": _day(today),
            "status": "result",
            "value_cocaine": "40",
            "cutoff_cocaine": "150",
            "lab_name": "Synlab",
        },
        matrix="urine",
        **_values(case=case, parent=parent),
    )
    page = worker.get("results.parent", **_values(case=case, parent=parent))
    summary = page.select_one("#trend-summary").get_text(" ")
    assert "Tests 1" in " ".join(summary.split())  # the pair counts once: the lab's answer
    assert "Lab: negative" in page.select_one("#results-table").get_text()


def test_amendment_keeps_the_original_visible(signed_in, family):
    case, parent = family
    worker = signed_in("practitioner")
    today = london_today()
    worker.post(
        "results.new_peth",
        {"collected_on": _day(today), "status": "result", "value": "250"},
        **_values(case=case, parent=parent),
    )
    original = db.session.scalar(select(TestResult))
    refused = worker.post(
        "results.amend",
        {"collected_on": _day(today), "status": "result", "value": "25"},
        _expected_status=200,
        result_id=original.id,
        **_values(case=case, parent=parent),
    )
    assert error_summary(refused) == ["Enter the reason for the amendment"]
    worker.post(
        "results.amend",
        {
            "collected_on": _day(today),
            "status": "result",
            "value": "25",
            "amendment_reason": "Typed 250 for 25.0 from the lab report",
        },
        result_id=original.id,
        **_values(case=case, parent=parent),
    )
    versions = db.session.scalars(select(TestResult).order_by(TestResult.id)).all()
    assert [v.value for v in versions] == [250, 25]
    assert versions[1].amends_id == versions[0].id
    page = worker.get(
        "results.result", result_id=versions[1].id, **_values(case=case, parent=parent)
    )
    text = page.get_text(" ")
    assert "Earlier versions" in text and "Typed 250 for 25.0" in text and "Amended" in text
    # Amending the old version again is steered to the latest one.
    again = worker.raw.get(
        f"/cases/{case.reference}/parents/{parent.id}/results/{original.id}/amend"
    )
    assert again.status_code == 302 and again.location.endswith(f"/{versions[1].id}/amend")


def test_prescription_explains_a_methadone_positive(signed_in, family):
    case, parent = family
    worker = signed_in("practitioner")
    today = london_today()
    worker.post(
        "results.new_prescription",
        {
            "medication": "Methadone oral solution",
            "substance": "methadone",
            "dose": "60 mg",
            "starts_on": _day(today - timedelta(days=30)),
        },
        **_values(case=case, parent=parent),
    )
    worker.post(
        "results.new_screens",
        _screens(
            today, urine_status="result", urine_methadone="positive", urine_cocaine="negative"
        ),
        **_values(case=case, parent=parent),
    )
    assert db.session.scalar(select(Prescription)).medication == "Methadone oral solution"
    page = worker.get("results.parent", **_values(case=case, parent=parent))
    assert "Consistent with prescription" in page.select_one("#results-table").get_text()


def test_prescription_ending_before_it_starts_is_refused(signed_in, family):
    case, parent = family
    today = london_today()
    page = signed_in("practitioner").post(
        "results.new_prescription",
        {
            "medication": "Diazepam",
            "substance": "benzodiazepines",
            "starts_on": _day(today),
            "ends_on": _day(today - timedelta(days=3)),
        },
        _expected_status=200,
        **_values(case=case, parent=parent),
    )
    assert error_summary(page) == ["End date must be on or after the start date"]
    assert _count(Prescription) == 0


def test_judge_reads_results_of_their_case_but_cannot_enter_or_amend(signed_in, team, family):
    case, parent = family
    judge = factories.make_user("judge", team=team)
    case.judge_id = judge.id
    db.session.commit()
    worker = signed_in("practitioner")
    worker.post(
        "results.new_peth",
        {"collected_on": _day(london_today()), "status": "result", "value": "5"},
        **_values(case=case, parent=parent),
    )
    result = db.session.scalar(select(TestResult))
    reader = signed_in(judge)
    page = reader.get("results.parent", **_values(case=case, parent=parent))
    assert not page.find("a", string="Record screens at a contact")
    reader.get("results.new_screens", _expected_status=403, **_values(case=case, parent=parent))
    reader.get(
        "results.amend",
        _expected_status=403,
        result_id=result.id,
        **_values(case=case, parent=parent),
    )


def test_results_of_another_team_are_not_found(signed_in, family):
    case, parent = family
    outsider = signed_in(factories.make_user("practitioner", team=factories.make_team()))
    outsider.get("results.parent", _expected_status=404, **_values(case=case, parent=parent))


def test_missed_test_shows_as_missed_not_as_a_positive_sample(signed_in, family):
    case, parent = family
    worker = signed_in("practitioner")
    worker.post(
        "results.new_screens",
        _screens(
            london_today(),
            oral_fluid_status="unable_to_provide",
            oral_fluid_status_reason="Dry mouth after three attempts",
        ),
        **_values(case=case, parent=parent),
    )
    result = db.session.scalar(select(TestResult))
    assert result.status is Status.UNABLE_TO_PROVIDE and result.readings == []
    row = worker.get("results.parent", **_values(case=case, parent=parent)).select_one(
        "#results-table tbody tr"
    )
    assert "Unable to provide" in row.get_text() and "Positive" not in row.get_text()
