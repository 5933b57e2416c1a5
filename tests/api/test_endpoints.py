"""The first endpoints: cases, one case, substances, the OpenAPI document; and validation."""

import pytest

from fdac.api.spec import ENDPOINTS
from fdac.auth.access import Action, can, cases_in_reach, visible_cases
from fdac.cases.models import Case
from fdac.extensions import db
from tests import factories
from tests.api.conftest import make_lab


def test_a_judge_sees_only_their_cases(api_as, team):
    judge = factories.make_user("judge", team=team)
    mine = factories.make_case(team, judge_id=judge.id)
    other = factories.make_case(team)
    api = api_as(judge)
    body = api.get("/api/v1/cases").get_json()
    assert [c["reference"] for c in body["items"]] == [mine.reference]
    assert body["total"] == 1
    assert api.get(f"/api/v1/cases/{other.reference}").status_code == 404
    assert api.get(f"/api/v1/cases/{mine.reference}").status_code == 200


def test_case_fields_and_anonymise(api_as, team):
    keyworker = factories.make_user("practitioner", team=team, name="Priya Shah")
    case = factories.make_case(team, keyworker_id=keyworker.id)
    parent = factories.add_parent(case, "Kelly Ashworth")
    api = api_as("team_manager")
    body = api.get(f"/api/v1/cases/{case.reference}").get_json()
    assert body["court_case_number"] == case.court_case_number
    assert body["phase"] == "trial_for_change"
    assert body["entered_on"] == "2026-06-01"
    assert body["keyworker"] == "Priya Shah"
    assert body["parents"] == [{"id": parent.id, "name": "Kelly Ashworth"}]
    hidden = api.get(f"/api/v1/cases/{case.reference}?anonymise=true").get_json()
    text = str(hidden)
    assert "Kelly" not in text and "Ashworth" not in text and "Priya" not in text
    assert hidden["parents"][0]["name"] == "the mother"
    assert hidden["keyworker"] == "PS"
    listed = api.get("/api/v1/cases?anonymise=true").get_json()
    assert "Kelly" not in str(listed)


def test_paging(api_as, team, app, monkeypatch):
    monkeypatch.setitem(app.config, "API_PAGE_SIZE", 2)
    for _ in range(3):
        factories.make_case(team)
    api = api_as("practitioner")
    second = api.get("/api/v1/cases?page=2").get_json()
    assert (second["page"], second["pages"], second["total"], len(second["items"])) == (2, 2, 3, 1)


def test_the_lab_lists_nothing_and_reads_no_case(api_as, team):
    served = factories.make_case(team)
    other_team = factories.make_team()
    elsewhere = factories.make_case(other_team)
    lab = make_lab(team)
    api = api_as(lab)
    assert api.get("/api/v1/cases").status_code == 403
    assert api.get(f"/api/v1/cases/{served.reference}").status_code == 403  # in reach, no read
    assert api.get(f"/api/v1/cases/{elsewhere.reference}").status_code == 404
    # The one table: it may record results for the served team's cases only.
    assert can(lab, Action.RECORD_RESULTS, served)
    assert not can(lab, Action.RECORD_RESULTS, elsewhere)
    assert not can(lab, Action.VIEW_RESULTS, served)
    assert db.session.scalars(visible_cases(lab)).all() == []
    reach = db.session.scalars(cases_in_reach(lab).order_by(Case.id)).all()
    assert reach == [served]


def test_substances_list_codes_cutoffs_and_units(api_as):
    body = api_as("practitioner").get("/api/v1/substances").get_json()
    by_code = {s["code"]: s for s in body["items"]}
    assert set(by_code) == {
        "alcohol", "etg", "cocaine", "benzoylecgonine", "cannabis", "amphetamine",
        "methamphetamine", "mdma", "opiates", "morphine", "codeine", "6-mam", "methadone",
        "buprenorphine", "benzodiazepines",
    }  # fmt: skip
    urine_cocaine = next(t for t in by_code["cocaine"]["tests"] if t["kind"] == "urine")
    assert (urine_cocaine["default_cutoff"], urine_cocaine["unit"]) == (150.0, "ng/mL")
    breath = next(t for t in by_code["alcohol"]["tests"] if t["kind"] == "breath")
    assert breath["unit"] == "ug/100mL"
    assert by_code["morphine"]["counts_as"] == "opiates"


def test_422_names_every_bad_field(api_as):
    api = api_as("practitioner")
    response = api.get("/api/v1/cases?page=0&anonymise=perhaps&colour=red")
    assert response.status_code == 422
    fields = sorted(e["field"] for e in response.get_json()["errors"])
    assert fields == ["anonymise", "colour", "page"]


def test_openapi_document_is_3_1_with_every_endpoint_and_its_errors(api_as, anonymous_api):
    assert anonymous_api.get("/api/v1/openapi.json").status_code == 401
    doc = api_as("lab").get("/api/v1/openapi.json").get_json()
    assert doc["openapi"] == "3.1.0"
    assert doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    for endpoint in ENDPOINTS:
        operation = doc["paths"][endpoint.path][endpoint.method.lower()]
        for code in (endpoint.status, *endpoint.errors):
            assert str(code) in operation["responses"]
    listing = doc["paths"]["/cases"]["get"]
    assert {p["name"] for p in listing["parameters"]} == {"page", "anonymise"}
    assert {"401", "403", "422", "429"} <= set(listing["responses"])
    refs = str(doc["paths"])
    for name in doc["components"]["schemas"]:
        assert name.isidentifier() or "-" in name
    assert "#/components/schemas/" in refs


def test_a_repeated_lab_sample_is_documented_as_a_200_beside_the_201(api_as):
    doc = api_as("lab").get("/api/v1/openapi.json").get_json()
    answers = doc["paths"]["/cases/{reference}/test-results"]["post"]["responses"]
    assert answers["201"]["content"] == answers["200"]["content"]
    assert "already stored" in answers["200"]["description"]


@pytest.mark.parametrize(
    "path",
    ["/api/v1/cases/FDAC%00-1", "/api/v1/cases/FDAC-1/test-results?from=2026-01-01%00"],
)
def test_a_control_character_in_the_path_or_query_is_a_422_not_a_database_error(api_as, path):
    # Found while fuzzing on PostgreSQL: text with a NUL cannot even be compared there (a 500).
    response = api_as("practitioner").get(path)
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["message"] == "Must not contain control characters"
