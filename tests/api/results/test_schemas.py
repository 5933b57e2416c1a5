"""The test-result schemas: every rule with its field path, all problems at once, and the
fixed names (substance codes, units) mapped to panels.py. Pure: no database needed."""

from datetime import date
from decimal import Decimal
from typing import get_args

import pytest

from fdac.api.results import codes, schemas
from fdac.api.results.present import substance_list
from fdac.api.results.schemas import path, validate_amendment, validate_test_result
from testing_results.panels import MATRICES, Matrix, Substance

PETH = {"parent_id": 1, "kind": "peth", "collected_at": "2026-11-20", "value": 25, "unit": "ng/mL"}
URINE = {
    "parent_id": 1,
    "kind": "urine",
    "collected_at": "2026-11-20",
    "lab": "Lextox",
    "lab_reference": "LX-1",
    "substances": [
        {"substance": "cocaine", "value": 200, "cutoff": 150},
        {"substance": "methadone", "value": 10, "cutoff": 300},
    ],
    "creatinine_mg_dl": 45,
}
HAIR = {
    "parent_id": 1,
    "kind": "hair",
    "collected_at": "2026-11-01",
    "lab": "Hairlab",
    "segments": [
        {"from_cm": 0, "to_cm": 3, "substances": [{"substance": "etg", "value": 12}]},
        {"from_cm": 3, "to_cm": 6, "substances": [{"substance": "cocaine", "value": 0.6}]},
    ],
}
SCREEN = {
    "parent_id": 1,
    "kind": "oral_fluid",
    "collected_at": "2026-11-20",
    "substances": [{"substance": "cannabis", "positive": True}],
}


def fields(payload) -> dict[str | None, str]:
    model, errors = validate_test_result(payload)
    assert model is None
    return {e["field"]: e["message"] for e in errors}


def ok(payload):
    model, errors = validate_test_result(payload)
    assert errors == []
    return model


def seg(*substances, start=0, end=3) -> dict:
    return {"from_cm": start, "to_cm": end, "substances": list(substances)}


def with_(base: dict, **changes) -> dict:
    body = {**base, **changes}
    return {k: v for k, v in body.items() if v is not ...}


@pytest.mark.parametrize("body", [PETH, URINE, HAIR, SCREEN])
def test_valid_bodies_pass(body):
    model = ok(body)
    assert model.kind == body["kind"]


def test_breath_and_not_taken_pass():
    ok(with_(PETH, kind="breath", value=0, unit="ug/100mL"))
    ok(
        {
            "parent_id": 1,
            "kind": "urine",
            "collected_at": "2026-11-20",
            "status": "refused",
            "status_reason": "Said she would not",
        }
    )


# ------------------------------------------------------------------- each rule, its path


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        (with_(PETH, value=...), "value", "Enter the PEth reading"),
        (with_(PETH, unit=...), "unit", "Enter the unit: ng/mL"),
        (with_(PETH, unit="ng/mg"), "unit", "Unit must be ng/mL"),
        (with_(PETH, kind="breath"), "unit", "Unit must be ug/100mL"),
        (with_(PETH, substances=[{"substance": "alcohol", "value": 1}]), "substances", "Leave"),
        (with_(URINE, substances=...), "substances", "at least one substance"),
        (with_(URINE, substances=[]), "substances", "at least one substance"),
        (with_(URINE, value=3), "value", "a urine result has none"),
        (with_(SCREEN, creatinine_mg_dl=3), "creatinine_mg_dl", "Leave this out"),
        (with_(HAIR, segments=...), "segments", "at least one hair segment"),
        (with_(HAIR, substances=URINE["substances"]), "substances", "hair result has none"),
        (with_(PETH, status="missed"), "status_reason", "Enter the reason"),
        (with_(PETH, status="missed", status_reason="DNA"), "value", "did not happen"),
        (with_(URINE, lab_reference="X", lab=""), "lab", "Enter the lab"),
        (with_(PETH, confirms=4), "confirms", "Only a laboratory oral fluid or urine"),
        (with_(SCREEN, confirms=4), "confirms", "Enter the lab"),
        (with_(PETH, collected_at="20/11/2026"), "collected_at", "YYYY-MM-DD"),
        (with_(PETH, collected_at="2026-11-20T10:00:00"), "collected_at", "with its offset"),
        (with_(PETH, collected_at="2026-02-30"), "collected_at", "real date"),
        (with_(PETH, reported_on="2026-11-20T10:00:00Z"), "reported_on", "YYYY-MM-DD"),
        (with_(PETH, reported_on=20261120), "reported_on", "YYYY-MM-DD"),
        (with_(PETH, kind="blood"), "kind", "Must be one of"),
        (with_(PETH, status="absent"), "status", "Must be one of"),
        (with_(PETH, parent_id=...), "parent_id", "Required"),
        (with_(PETH, parent_id=0), "parent_id", "Must be 1 or more"),
        (with_(PETH, lab="a" * 121), "lab", "120 characters or fewer"),
        (with_(PETH, lab="Lab\x00"), "lab", "control characters"),
        (with_(PETH, note="n" * 2001), "note", "2,000 characters"),
    ],
)
def test_each_rule_names_its_field(body, field, words):
    found = fields(body)
    assert field in found, found
    assert words in found[field]


@pytest.mark.parametrize(
    ("substance", "field", "words"),
    [
        ({"substance": "cocaine"}, "value", "Enter the value and cut-off, or whether"),
        ({"substance": "etg", "value": 3}, "substance", "etg is not tested in oral fluid"),
        ({"substance": "methadone", "value": 3}, "substance", "not tested in oral fluid"),
        ({"substance": "benzodiazepines", "value": 3}, "cutoff", "Enter the lab's cut-off"),
        ({"substance": "cocaine", "value": 3, "unit": "ng/mg"}, "unit", "Unit must be ng/mL"),
        ({"substance": "cocaine", "value": 20, "positive": False}, "positive", "cut-off of 15"),
        ({"substance": "cocaine", "value": 9, "cutoff": 10, "positive": True}, "positive", "10"),
        ({"substance": "heroin", "value": 3}, "substance", "Must be one of"),
        ({"substance": "cocaine", "value": 3, "colour": "red"}, "colour", "Unknown field"),
    ],
)
def test_each_substance_rule_names_its_path(substance, field, words):
    substances = [{"substance": "cannabis", "positive": True}, substance]
    found = fields(with_(SCREEN, substances=substances))
    assert words in found[f"substances[1].{field}"], found


def test_a_laboratory_result_needs_concentrations():
    body = with_(SCREEN, lab="Lextox")
    assert "laboratory result" in fields(body)["substances[0].value"]


def test_a_value_and_an_agreeing_answer_pass():
    ok(with_(SCREEN, substances=[{"substance": "cocaine", "value": 15, "positive": True}]))
    ok(with_(SCREEN, substances=[{"substance": "cocaine", "value": 14.9, "positive": False}]))


@pytest.mark.parametrize(
    ("segments", "field", "words"),
    [
        (
            [{"from_cm": 3, "to_cm": 3, "substances": [{"substance": "etg", "value": 1}]}],
            "segments[0].to_cm",
            "greater than from_cm",
        ),
        (
            [
                {"from_cm": 0, "to_cm": 3, "substances": [{"substance": "etg", "value": 1}]},
                {"from_cm": 2, "to_cm": 4, "substances": [{"substance": "etg", "value": 1}]},
            ],
            "segments[1].from_cm",
            "Overlaps segments[0]",
        ),
        ([{"from_cm": 0, "to_cm": 3, "substances": []}], "segments[0].substances", "at least"),
        (
            [seg({"substance": "cocaine", "positive": True})],
            "segments[0].substances[0].value",
            "Enter the concentration",
        ),
        (
            [seg({"substance": "etg", "value": 3, "cutoff": 5})],
            "segments[0].substances[0].cutoff",
            "bands",
        ),
        (
            [seg({"substance": "benzoylecgonine", "value": 1})],
            "segments[0].substances[0].cutoff",
            "cut-off for benzoylecgonine",
        ),
        (
            [seg({"substance": "etg", "value": 3, "unit": "ng/mg"})],
            "segments[0].substances[0].unit",
            "Unit must be pg/mg",
        ),
        (
            [{"from_cm": 0, "to_cm": 101, "substances": [{"substance": "etg", "value": 3}]}],
            "segments[0].to_cm",
            "100 or less",
        ),
        (
            [{**seg({"substance": "etg", "value": 3}), "depth": 1}],
            "segments[0].depth",
            "Unknown field",
        ),
    ],
)
def test_each_segment_rule_names_its_path(segments, field, words):
    found = fields(with_(HAIR, segments=segments))
    assert words in found[field], found


def test_every_problem_is_reported_at_once():
    body = {
        "parent_id": True,
        "kind": "hair",
        "collected_at": "yesterday",
        "observed": "yes",
        "colour": "blue",
        "segments": [
            {"from_cm": 0, "to_cm": 3, "substances": [{"substance": "etg", "value": 1}]},
            {"from_cm": 3, "to_cm": 2, "substances": [{"substance": "cocaine", "value": "lots"}]},
            {"from_cm": 6, "to_cm": 9, "substances": [{"substance": "cocaine"}]},
        ],
    }
    found = fields(body)
    assert set(found) == {
        "parent_id",
        "collected_at",
        "observed",
        "colour",
        "segments[1].to_cm",
        "segments[1].substances[0].value",
        "segments[2].substances[0].value",
    }, found


# ---------------------------------------------------------- numbers: huge, bool, strings


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (1e400, "finite"),  # json.loads gives inf for it
        (float("nan"), "finite"),
        (10**30, "1,000,000,000 or less"),
        (10**400, "1,000,000,000 or less"),
        (Decimal("1e999999"), "1,000,000,000 or less"),
        (1_000_000_000.0001, "or less"),
        (True, "Enter a number"),
        (False, "Enter a number"),
        ("25", "Enter a number"),
        ([25], "Enter a number"),
        ({"n": 25}, "Enter a number"),
        (-1, "0 or more"),
        (0.00001, "4 decimal places"),
        (1e-7, "4 decimal places"),
    ],
)
def test_bad_numbers_are_field_errors(value, words):
    assert words in fields(with_(PETH, value=value))["value"]


def test_numbers_keep_their_exact_value():
    assert ok(with_(PETH, value=19.9)).value == Decimal("19.9")
    assert ok(with_(PETH, value=Decimal("200.10000"))).value == Decimal("200.1")
    assert ok(with_(PETH, value=1_000_000_000)).value == Decimal("1000000000")


@pytest.mark.parametrize("name", ["parent_id", "confirms"])
@pytest.mark.parametrize("value", [True, "3", 3.0, 2**31, 10**100])
def test_ids_are_whole_numbers_in_range(name, value):
    assert name in fields(with_(URINE, **{name: value}))


@pytest.mark.parametrize("value", ["yes", 1, 0])
def test_observed_and_positive_are_booleans(value):
    assert "observed" in fields(with_(PETH, observed=value))
    substances = [{"substance": "cannabis", "positive": value}]
    assert "substances[0].positive" in fields(with_(SCREEN, substances=substances))


def test_the_model_alone_raises_every_problem_at_once():
    """The API's registry validates bodies with TestResultIn.model_validate: it must find the
    rules between fields too, beside the type errors, each at its path."""
    body = with_(HAIR, parent_id="1", segments=[seg({"substance": "etg"}, start=3, end=1)])
    with pytest.raises(schemas.ValidationError) as raised:
        schemas.TestResultIn.model_validate(body)
    assert [(path(e["loc"]), e["msg"]) for e in raised.value.errors()] == [
        ("parent_id", "Must be a whole number"),
        ("segments[0].to_cm", "Must be greater than from_cm"),
        ("segments[0].substances[0].value", "Enter the concentration"),
    ]


def test_not_an_object():
    for body in ([], "text", 3, None):
        assert validate_test_result(body) == (
            None,
            [{"field": None, "message": "The body must be a JSON object"}],
        )


# ------------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("collected_at", "day"),
    [
        ("2026-11-20", date(2026, 11, 20)),
        ("2026-07-01T23:30:00Z", date(2026, 7, 2)),  # 00:30 in London (BST)
        ("2026-12-01T23:30:00Z", date(2026, 12, 1)),  # GMT
        ("2026-07-02T00:30:00+02:00", date(2026, 7, 1)),  # 23:30 in London
        ("2026-07-01T10:15:30.123+01:00", date(2026, 7, 1)),
    ],
)
def test_collected_at_is_a_date_or_an_instant_with_its_offset(collected_at, day):
    from fdac.api.results.mapping import collected_on

    assert collected_on(ok(with_(PETH, collected_at=collected_at))) == day


def test_an_instant_out_of_range_is_a_field_error():
    assert "collected_at" in fields(with_(PETH, collected_at="0001-01-01T00:00:00+01:00"))


def test_path_rendering():
    assert path(("segments", 1, "substances", 0, "value")) == "segments[1].substances[0].value"
    assert path(("to_cm",)) == "to_cm"
    assert path(()) is None


# ---------------------------------------------------------------- fixed names and tables


def test_substance_codes_are_the_issue_s_names_and_all_map():
    expected = [
        "alcohol",
        "etg",
        "cocaine",
        "benzoylecgonine",
        "cannabis",
        "amphetamine",
        "methamphetamine",
        "mdma",
        "opiates",
        "morphine",
        "codeine",
        "6-mam",
        "methadone",
        "buprenorphine",
        "benzodiazepines",
    ]
    assert list(codes.SUBSTANCE_CODES) == expected
    assert list(get_args(schemas.SubstanceCode)) == expected
    for code in expected:  # each is tested somewhere
        assert any(codes.substance_for(code, m) is not None for m in Matrix), code


@pytest.mark.parametrize(
    ("code", "matrix", "substance"),
    [
        ("etg", Matrix.HAIR, Substance.ALCOHOL),
        ("alcohol", Matrix.HAIR, Substance.ALCOHOL),
        ("etg", Matrix.URINE, None),
        ("benzoylecgonine", Matrix.URINE, Substance.COCAINE),
        ("benzoylecgonine", Matrix.HAIR, Substance.COCAINE),
        ("morphine", Matrix.ORAL_FLUID, Substance.OPIATES),
        ("codeine", Matrix.URINE, Substance.OPIATES),
        ("6-mam", Matrix.ORAL_FLUID, Substance.SIX_MAM),
        ("6-mam", Matrix.HAIR, Substance.OPIATES),
        ("6-mam", Matrix.URINE, None),
        ("methadone", Matrix.ORAL_FLUID, None),
        ("buprenorphine", Matrix.URINE, Substance.BUPRENORPHINE),
    ],
)
def test_codes_map_to_panel_substances(code, matrix, substance):
    assert codes.substance_for(code, matrix) is substance


def test_every_panel_substance_has_a_code():
    for matrix, info in MATRICES.items():
        for substance in info.substances:
            assert codes.code_of(matrix, substance) in codes.SUBSTANCE_CODES


def test_units_map_to_the_panels_units():
    assert set(codes.UNITS) == set(get_args(schemas.Unit))
    assert codes.UNITS["ug/100mL"] == MATRICES[Matrix.BREATH].unit
    for matrix in Matrix:
        assert codes.unit_of(matrix) in codes.UNITS
    assert codes.unit_of(Matrix.HAIR, Substance.ALCOHOL) == "pg/mg"
    assert codes.unit_of(Matrix.HAIR, Substance.COCAINE) == "ng/mg"


def test_substance_list():
    items = {i["code"]: i for i in substance_list()}
    assert len(items) == 15
    urine = {t["kind"]: t for t in items["benzoylecgonine"]["tests"]}
    assert urine["urine"] == {
        "kind": "urine",
        "unit": "ng/mL",
        "default_cutoff": 150,
        "cutoff_required": False,
    }
    assert urine["hair"]["cutoff_required"] is True
    assert urine["hair"]["default_cutoff"] is None
    assert [t["kind"] for t in items["etg"]["tests"]] == ["hair"]
    assert items["etg"]["tests"][0]["unit"] == "pg/mg"
    assert {t["kind"] for t in items["alcohol"]["tests"]} == {"peth", "hair", "breath"}
    assert items["morphine"]["counts_as"] == "opiates"
    cannabis = {t["kind"]: t["default_cutoff"] for t in items["cannabis"]["tests"]}
    assert cannabis == {"hair": 0.05, "oral_fluid": 4, "urine": 50}


def test_the_schemas_give_a_json_schema():
    schema = schemas.TestResultIn.model_json_schema()
    assert schema["additionalProperties"] is False
    assert schema["properties"]["value"]["anyOf"][0]["type"] == "number"
    out = schemas.TestResultOut.model_json_schema(mode="serialization")
    assert "interpretation" in out["required"]


# ---------------------------------------------------------------------------- amendments


def test_an_amendment_lays_its_fields_over_the_original():
    model, reason, errors = validate_amendment({"reason": "Typo", "value": 18}, PETH)
    assert errors == []
    assert reason == "Typo"
    assert (model.value, model.unit, model.kind) == (Decimal(18), "ng/mL", "peth")


def test_an_amendment_s_status_starts_the_readings_afresh():
    body = {"reason": "Did not attend", "status": "missed", "status_reason": "DNA"}
    model, _, errors = validate_amendment(body, URINE)
    assert errors == []
    assert (model.status, model.substances, model.creatinine_mg_dl) == ("missed", None, None)


def test_an_amendment_s_problems_have_the_result_s_paths():
    body = {"reason": "Wrong", "substances": [{"substance": "cocaine", "value": -1}]}
    _, _, errors = validate_amendment(body, URINE)
    assert errors == [{"field": "substances[0].value", "message": "Must be 0 or more"}]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"value": 18}, "reason"),
        ({"reason": "   ", "value": 18}, "reason"),
        ({"reason": "x", "kind": "hair"}, "kind"),
        ({"reason": "x", "parent_id": 2}, "parent_id"),
        ({"reason": "x", "colour": 2}, "colour"),
    ],
)
def test_an_amendment_s_own_fields(body, field):
    model, reason, errors = validate_amendment(body, PETH)
    assert model is None
    assert field in {e["field"] for e in errors}
