"""Test results over the API: a lab posts results for the teams it serves (the same sample twice
stores it once), the team reads them in date order, and a mistake is amended with the original
kept; every write goes through the services the pages use."""

from datetime import date

import pytest
from sqlalchemy import func, select

from fdac.extensions import db
from testing_results.models import TestResult
from tests import factories
from tests.api.conftest import make_lab

URINE = {
    "kind": "urine",
    "collected_at": "2026-03-03",
    "status": "result",
    "lab": "Northgate Toxicology",
    "lab_reference": "NT-1001",
    "reported_on": "2026-03-05",
    "creatinine_mg_dl": 80,
    "substances": [
        {"substance": "cocaine", "value": 420},
        {"substance": "cannabis", "value": 10},
    ],
}


def _family(team):
    case = factories.make_case(team, entered_on=date(2026, 1, 5))
    return case, factories.add_parent(case, "Kelly Ashworth")


def _results() -> int:
    return db.session.scalar(select(func.count(TestResult.id)))


def test_a_lab_posts_a_result_once_and_gets_its_interpretation(api_as, team):
    case, kelly = _family(team)
    lab = api_as(make_lab(team))
    path = f"/api/v1/cases/{case.reference}/test-results"

    first = lab.post(path, json={"parent_id": kelly.id, **URINE})
    again = lab.post(path, json={"parent_id": kelly.id, **URINE})

    assert first.status_code == 201, first.get_json()
    body = first.get_json()
    assert body["interpretation"]["overall"] == "positive"
    by_code = {s["substance"]: s for s in body["substances"]}
    assert by_code["cocaine"]["value"] == 420
    assert again.status_code == 200 and again.get_json()["id"] == body["id"]
    assert _results() == 1
    # A lab reads nothing else: not the case, not its results.
    assert lab.get(f"/api/v1/cases/{case.reference}").status_code == 403
    assert lab.get(path).status_code == 403


def test_a_lab_cannot_post_for_a_team_it_does_not_serve(api_as, team):
    case, kelly = _family(team)
    lab = api_as(make_lab(factories.make_team()))
    response = lab.post(
        f"/api/v1/cases/{case.reference}/test-results", json={"parent_id": kelly.id, **URINE}
    )
    assert response.status_code == 404
    assert _results() == 0


def test_bad_input_names_every_field_and_stores_nothing(api_as, team):
    case, kelly = _family(team)
    other_case, stranger = _family(team)
    body = {
        **URINE,
        "parent_id": stranger.id,
        "substances": [{"substance": "cocaine", "value": "lots"}, {"substance": "kryptonite"}],
    }
    response = api_as("practitioner").post(
        f"/api/v1/cases/{case.reference}/test-results", json=body
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.get_json()["errors"]}
    assert {"substances[0].value", "substances[1].substance"} <= fields
    assert _results() == 0


def test_the_team_reads_results_in_date_order_within_the_period(api_as, team):
    case, kelly = _family(team)
    api = api_as("practitioner")
    path = f"/api/v1/cases/{case.reference}/test-results"
    for day, reference in (("2026-03-10", "NT-2"), ("2026-03-03", "NT-1"), ("2026-04-01", "NT-3")):
        body = {**URINE, "parent_id": kelly.id, "collected_at": day, "lab_reference": reference}
        body["reported_on"] = day
        assert api.post(path, json=body).status_code == 201

    listed = api.get(f"{path}?from=2026-03-01&to=2026-03-31").get_json()["items"]

    assert [item["collected_at"] for item in listed] == ["2026-03-03", "2026-03-10"]


def test_an_amendment_keeps_the_original_and_links_both(api_as, team):
    case, kelly = _family(team)
    api = api_as("practitioner")
    path = f"/api/v1/cases/{case.reference}/test-results"
    original = api.post(path, json={"parent_id": kelly.id, **URINE}).get_json()

    amended = api.post(
        f"/api/v1/test-results/{original['id']}/amendments",
        json={
            "reason": "Cocaine was keyed as 420; the report says 42",
            "substances": [
                {"substance": "cocaine", "value": 42},
                {"substance": "cannabis", "value": 10},
            ],
        },
    )

    assert amended.status_code == 201, amended.get_json()
    new = amended.get_json()
    assert new["amends"] == original["id"]
    assert new["interpretation"]["overall"] == "negative"  # 42 is under the 150 cut-off
    listed = {item["id"]: item for item in api.get(path).get_json()["items"]}
    assert listed[original["id"]]["amended_by"] == new["id"]
    assert listed[original["id"]]["counts"] is False and listed[new["id"]]["counts"] is True
    assert _results() == 2


def test_an_amendment_without_a_reason_or_of_a_hidden_result_is_refused(api_as, team):
    case, kelly = _family(team)
    api = api_as("practitioner")
    posted = api.post(
        f"/api/v1/cases/{case.reference}/test-results", json={"parent_id": kelly.id, **URINE}
    ).get_json()
    amendments = f"/api/v1/test-results/{posted['id']}/amendments"

    assert api.post(amendments, json={"substances": []}).status_code == 422
    outsider = api_as(factories.make_user("practitioner", team=factories.make_team()))
    assert outsider.post(amendments, json={"reason": "x"}).status_code == 404
    assert api_as("judge").post(amendments, json={"reason": "x"}).status_code == 404
    assert _results() == 1


@pytest.mark.parametrize("result_id", [0, 2**31, 10208329492911620096])
def test_an_id_no_record_can_have_is_a_422_naming_it(api_as, result_id):
    # Found by the fuzzer: an id past SQLite's 64-bit integers was a 500 (an overflow).
    response = api_as("practitioner").post(
        f"/api/v1/test-results/{result_id}/amendments", json={"reason": "x"}
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.get_json()["errors"]] == ["result_id"]
