"""A body through the API's mapping stores exactly what the forms store, through the same
services, and reads back with the same interpretation the pages show."""

from datetime import date

import pytest
from werkzeug.datastructures import MultiDict

from fdac.api.results import mapping, present
from fdac.api.results.schemas import validate_amendment, validate_test_result
from fdac.validation import FieldErrors
from testing_results import forms, services
from testing_results.models import Method, TestResult
from tests import factories

TODAY = date(2026, 11, 22)


@pytest.fixture
def parent(team):
    case = factories.make_case(team)
    return factories.add_parent(case)


@pytest.fixture
def worker(team):
    return factories.make_user(team=team)


def model_of(body: dict, parent=None):
    body = {"parent_id": parent.id if parent else 1, **body}
    model, errors = validate_test_result(body)
    assert errors == [], errors
    return model


def form_drafts(form_class, data: list, *args):
    form = form_class(formdata=MultiDict(data), meta={"csrf": False})
    if hasattr(form, "set_screens"):
        form.set_screens([])
    assert form.validate(), form.errors
    return form.drafts(*args)


def day(value: str) -> list:
    d, m, y = value.split("/")
    return [("collected_on", d), ("collected_on", m), ("collected_on", y)]


def api_draft(body: dict, parent):
    return mapping.draft_for(model_of(body, parent), parent, None)


def without_key(draft):
    draft.import_key = None
    return draft


COLUMNS = [
    "case_id",
    "parent_id",
    "matrix",
    "method",
    "collected_on",
    "status",
    "status_reason",
    "observed",
    "value",
    "creatinine_mg_dl",
    "sample_length_cm",
    "lab_name",
    "lab_reference",
    "reported_on",
    "confirms_id",
    "amends_id",
    "note",
    "entered_by_id",
]


def stored(result: TestResult) -> dict:
    return {
        "row": {c: getattr(result, c) for c in COLUMNS},
        "readings": [
            (r.substance, r.screen, r.value, r.cutoff, r.segment.position if r.segment else None)
            for r in result.readings
        ],
        "segments": [(s.position, s.from_cm, s.to_cm) for s in result.segments],
    }


def interpretation(result: TestResult) -> dict:
    return present.result_for(result)["interpretation"]


# -------------------------------------------------- the API's Draft is the form's Draft

CASES = [
    (
        forms.UrineLabForm,
        [
            *day("20/11/2026"),
            ("status", "result"),
            ("lab_name", "Lextox"),
            ("lab_reference", "LX-1"),
            ("reported_on", "21"),
            ("reported_on", "11"),
            ("reported_on", "2026"),
            ("observed", "yes"),
            ("value_cocaine", "200"),
            ("cutoff_cocaine", "150"),
            ("value_methadone", "10"),
            ("cutoff_methadone", "300"),
            ("creatinine_mg_dl", "45"),
            ("confirms", ""),
        ],
        ({},),
        {
            "kind": "urine",
            "collected_at": "2026-11-20",
            "lab": "Lextox",
            "lab_reference": "LX-1",
            "reported_on": "2026-11-21",
            "observed": True,
            "substances": [
                {"substance": "cocaine", "value": 200, "cutoff": 150},
                {"substance": "methadone", "value": 10, "cutoff": 300},
            ],
            "creatinine_mg_dl": 45,
        },
    ),
    (
        forms.PEthForm,
        [*day("20/11/2026"), ("status", "result"), ("lab_name", "Lextox"), ("value", "25.5")],
        (),
        {
            "kind": "peth",
            "collected_at": "2026-11-20T09:00:00Z",
            "lab": "Lextox",
            "value": 25.5,
            "unit": "ng/mL",
        },
    ),
    (
        forms.PEthForm,
        [*day("20/11/2026"), ("status", "missed"), ("status_reason", "Did not attend")],
        (),
        {
            "kind": "peth",
            "collected_at": "2026-11-20",
            "status": "missed",
            "status_reason": "Did not attend",
        },
    ),
    (
        forms.HairForm,
        [
            *day("01/11/2026"),
            ("status", "result"),
            ("lab_name", "Hairlab"),
            ("seg0_from", "0"),
            ("seg0_to", "3"),
            ("seg0_alcohol", "12"),
            ("seg0_cocaine", "0.4"),
            ("seg1_from", "3"),
            ("seg1_to", "6"),
            ("seg1_cocaine", "0.6"),
            ("cutoff_cocaine", "0.5"),
        ],
        (),
        {
            "kind": "hair",
            "collected_at": "2026-11-01",
            "lab": "Hairlab",
            "segments": [
                {
                    "from_cm": 0,
                    "to_cm": 3,
                    "substances": [
                        {"substance": "cocaine", "value": 0.4, "cutoff": 0.5},
                        {"substance": "etg", "value": 12},
                    ],
                },
                {
                    "from_cm": 3,
                    "to_cm": 6,
                    "substances": [{"substance": "cocaine", "value": 0.6, "cutoff": 0.5}],
                },
            ],
        },
    ),
    (
        forms.PointOfCareForm,
        [
            *day("20/11/2026"),
            ("oral_fluid_status", "result"),
            ("oral_fluid_cocaine", "negative"),
            ("oral_fluid_cannabis", "positive"),
            ("observed", "no"),
            ("note", "Swab at the office"),
        ],
        (),
        {
            "kind": "oral_fluid",
            "collected_at": "2026-11-20",
            "observed": False,
            "note": "Swab at the office",
            "substances": [
                {"substance": "cocaine", "positive": False},
                {"substance": "cannabis", "positive": True},
            ],
        },
    ),
    (
        forms.PointOfCareForm,
        [*day("20/11/2026"), ("breath_status", "result"), ("breath_value", "0")],
        (),
        {"kind": "breath", "collected_at": "2026-11-20", "value": 0, "unit": "ug/100mL"},
    ),
]


@pytest.mark.parametrize(("form_class", "data", "args", "body"), CASES)
def test_the_api_builds_the_form_s_draft(parent, worker, form_class, data, args, body):
    [form_draft] = form_drafts(form_class, data, *args)
    draft = api_draft(body, parent)
    # Hair: the form lists a segment's substances in the panel's order, the API as sent.
    form_draft.sample = form_draft.sample.__class__(
        **{
            **form_draft.sample.__dict__,
            "readings": tuple(sorted(form_draft.sample.readings, key=repr)),
        }
    )
    api_sample = draft.sample.__class__(
        **{**draft.sample.__dict__, "readings": tuple(sorted(draft.sample.readings, key=repr))}
    )
    assert api_sample == form_draft.sample
    assert without_key(draft).__dict__ | {"sample": None} == form_draft.__dict__ | {"sample": None}

    # Stored through the same service, the rows and the interpretation are the same.
    [from_form] = services.record(parent, [form_draft], by=worker, today=TODAY)
    [from_api] = services.record(parent, [api_draft(body, parent)], by=worker, today=TODAY)
    a, b = stored(from_form), stored(from_api)
    assert a["row"] == b["row"]
    assert sorted(a["readings"], key=repr) == sorted(b["readings"], key=repr)
    assert a["segments"] == b["segments"]
    ia, ib = interpretation(from_form), interpretation(from_api)
    assert (ia["overall"], ia["band"], ia["summary"]) == (ib["overall"], ib["band"], ib["summary"])
    assert sorted(map(repr, ia["substances"])) == sorted(map(repr, ib["substances"]))


def test_a_laboratory_sample_gets_the_importer_s_key(parent):
    draft = api_draft(
        {
            "kind": "peth",
            "collected_at": "2026-11-20",
            "lab": " LexTox ",
            "lab_reference": "Ab-12",
            "value": 3,
            "unit": "ng/mL",
        },
        parent,
    )
    assert (draft.method, draft.import_key, draft.lab_name) == (
        Method.LABORATORY,
        "lextox|ab-12",
        "LexTox",
    )


# ------------------------------------------------------------------ answers and bands


def record(parent, worker, body: dict, confirms=None) -> TestResult:
    [result] = services.record(
        parent,
        [mapping.draft_for(model_of(body, parent), parent, confirms)],
        by=worker,
        today=TODAY,
    )
    return result


def peth(value) -> dict:
    return {"kind": "peth", "collected_at": "2026-11-20", "value": value, "unit": "ng/mL"}


@pytest.mark.parametrize(
    ("value", "band", "overall"),
    [
        (19.9, "consistent_with_abstinence", "negative"),
        (20, "significant_drinking", "positive"),
        (200, "significant_drinking", "positive"),
        (200.1, "excessive_drinking", "positive"),
    ],
)
def test_peth_band_codes(parent, worker, value, band, overall):
    body = present.result_for(record(parent, worker, peth(value)))
    assert body["interpretation"]["band"] == band
    assert body["interpretation"]["overall"] == overall
    assert body["value"] == value
    assert body["unit"] == "ng/mL"
    assert body["method"] == "laboratory"
    assert body["interpretation"]["substances"][0]["band"] == band


def hair(*segments) -> dict:
    return {"kind": "hair", "collected_at": "2026-11-01", "lab": "Hairlab", "segments": segments}


def test_hair_segments_their_periods_and_etg_bands(parent, worker):
    result = record(
        parent,
        worker,
        hair(
            {"from_cm": 0, "to_cm": 3, "substances": [{"substance": "etg", "value": 4.9}]},
            {"from_cm": 3, "to_cm": 6, "substances": [{"substance": "alcohol", "value": 30}]},
        ),
    )
    body = present.result_for(result)
    first, second = body["segments"]
    # DOMAIN.md: about 1 cm a month, 14 days to emerge: 0 to 3 cm collected on 1 November
    # covers 20 July to 18 October.
    assert (first["period_from"], first["period_to"]) == ("2026-07-20", "2026-10-18")
    assert (second["period_from"], second["period_to"]) == ("2026-04-21", "2026-07-20")
    assert first["substances"] == [
        {"substance": "etg", "value": 4.9, "cutoff": None, "positive": None, "unit": "pg/mg"}
    ]
    found = body["interpretation"]["substances"]
    assert [(f["segment"], f["band"]) for f in found] == [
        (0, "consistent_with_abstinence"),
        (1, "chronic_excessive_drinking"),
    ]
    assert found[0]["period_from"] == "2026-07-20"
    assert body["interpretation"]["band"] == "chronic_excessive_drinking"  # the worst
    assert body["interpretation"]["overall"] == "positive"


def test_hair_6_mam_and_morphine_count_as_opiates(parent, worker):
    body = present.result_for(
        record(
            parent,
            worker,
            hair(
                {
                    "from_cm": 0,
                    "to_cm": 3,
                    "substances": [
                        {"substance": "6-mam", "value": 0.3},
                        {"substance": "morphine", "value": 0.1},
                        {"substance": "benzoylecgonine", "value": 0.06, "cutoff": 0.05},
                    ],
                }
            ),
        )
    )
    outcomes = [(f["substance"], f["outcome"]) for f in body["interpretation"]["substances"]]
    assert outcomes == [("opiates", "positive"), ("opiates", "negative"), ("cocaine", "positive")]


def test_a_prescription_explains_a_positive(parent, worker):
    factories.add_prescription(parent, "methadone")
    urine = {
        "kind": "urine",
        "collected_at": "2026-11-20",
        "substances": [{"substance": "methadone", "value": 400}],  # default cut-off: 300
    }
    body = present.result_for(record(parent, worker, urine))
    assert body["interpretation"]["overall"] == "consistent_with_prescription"
    assert body["method"] == "point_of_care"
    assert body["substances"][0]["cutoff"] is None  # panels' default applies when read


def test_a_dilute_urine(parent, worker):
    urine = {
        "kind": "urine",
        "collected_at": "2026-11-20",
        "substances": [{"substance": "cocaine", "positive": False}],
        "creatinine_mg_dl": 12.5,
    }
    body = present.result_for(record(parent, worker, urine))
    assert body["interpretation"]["overall"] == "dilute"
    assert body["interpretation"]["flags"] == ["dilute"]
    assert body["substances"] == [
        {"substance": "cocaine", "value": None, "cutoff": None, "positive": False, "unit": "ng/mL"}
    ]


def test_a_test_that_did_not_happen(parent, worker):
    body = present.result_for(
        record(
            parent,
            worker,
            {
                "kind": "breath",
                "collected_at": "2026-11-20",
                "status": "refused",
                "status_reason": "No",
            },
        )
    )
    assert body["interpretation"] == {
        "overall": "refused",
        "summary": "Refused: counts as a positive",
        "band": None,
        "flags": [],
        "substances": [],
    }
    assert (body["value"], body["unit"], body["status_reason"]) == (None, None, "No")


# ----------------------------------------------------------- the services' own problems


def test_service_problems_come_back_at_the_api_s_paths(parent, worker):
    body = {**peth(3), "collected_at": "2027-01-01", "reported_on": "2026-12-01"}
    model = model_of(body, parent)
    with pytest.raises(FieldErrors) as raised:
        services.record(parent, [mapping.draft_for(model, parent, None)], by=worker, today=TODAY)
    assert mapping.errors_from(raised.value, model) == [
        {"field": "collected_at", "message": "Date collected must be today or in the past"},
        {"field": "reported_on", "message": "Date reported must be on or after the date collected"},
        {"field": "reported_on", "message": "Date reported must be today or in the past"},
    ]


def test_service_field_names_map_to_paths():
    model = model_of(
        hair(
            {"from_cm": 0, "to_cm": 3, "substances": [{"substance": "etg", "value": 1}]},
            {
                "from_cm": 3,
                "to_cm": 6,
                "substances": [
                    {"substance": "etg", "value": 1},
                    {"substance": "cocaine", "value": 1},
                ],
            },
        )
    )
    assert mapping.field_path("readings.2.value", model) == "segments[1].substances[1].value"
    assert mapping.field_path("readings-1-cutoff", model) == "segments[1].substances[0].cutoff"
    assert mapping.field_path("readings.0", model) == "segments[0].substances[0]"
    assert mapping.field_path("readings", model) == "segments"
    assert mapping.field_path("segments.1", model) == "segments[1]"
    assert mapping.field_path("amendment_reason", model) == "reason"
    assert mapping.field_path("collected_on", model) == "collected_at"
    assert mapping.field_path(None, model) is None
    assert mapping.field_path("something_else", model) is None


# ------------------------------------------------------------ confirmations, duplicates


SCREEN = {
    "kind": "urine",
    "collected_at": "2026-11-20",
    "substances": [{"substance": "cocaine", "positive": True}],
}
LAB = {
    "kind": "urine",
    "collected_at": "2026-11-20",
    "lab": "Lextox",
    "lab_reference": "LX-9",
    "substances": [{"substance": "benzoylecgonine", "value": 80, "cutoff": 150}],
}


def test_a_laboratory_result_confirms_a_screen(parent, worker):
    screen = record(parent, worker, SCREEN)
    model = model_of({**LAB, "confirms": screen.id}, parent)
    found, errors = mapping.confirms_for(model, parent)
    assert (found, errors) == (screen, [])
    lab = record(parent, worker, {**LAB, "confirms": screen.id}, confirms=found)
    bodies = {b["id"]: b for b in present.results_out(parent)}
    assert bodies[screen.id]["confirmed_by"] == lab.id
    assert bodies[screen.id]["counts"] is False  # the laboratory answer replaces the screen
    assert bodies[screen.id]["interpretation"]["overall"] == "positive"
    assert bodies[lab.id]["confirms"] == screen.id
    assert bodies[lab.id]["counts"] is True
    assert bodies[lab.id]["interpretation"]["overall"] == "negative"


def test_a_confirmation_of_another_parent_s_result_is_refused(parent, worker, team):
    other = factories.add_parent(factories.make_case(team), "Dean Ashworth")
    screen = record(other, worker, SCREEN)
    model = model_of({**LAB, "confirms": screen.id}, parent)
    assert mapping.confirms_for(model, parent) == (
        None,
        [{"field": "confirms", "message": mapping.SCREEN_MESSAGE}],
    )
    missing = model_of({**LAB, "confirms": 999_999}, parent)
    assert mapping.confirms_for(missing, parent)[1][0]["field"] == "confirms"


def test_a_confirmation_on_another_day_is_refused_at_collected_at(parent, worker):
    screen = record(parent, worker, SCREEN)
    model = model_of({**LAB, "collected_at": "2026-11-21", "confirms": screen.id}, parent)
    with pytest.raises(FieldErrors) as raised:
        services.record(parent, [mapping.draft_for(model, parent, screen)], by=worker, today=TODAY)
    assert mapping.errors_from(raised.value, model) == [
        {
            "field": "collected_at",
            "message": "Date collected must be the date of the screen it confirms",
        }
    ]


def test_a_lab_reference_already_stored(parent, worker, team):
    first = record(parent, worker, LAB)
    again = model_of({**LAB, "lab": "LEXTOX", "lab_reference": "lx-9"}, parent)
    assert mapping.already_stored(again, parent) == (first, [])
    assert mapping.already_stored(model_of(SCREEN, parent), parent) == (None, [])
    other = factories.add_parent(factories.make_case(team), "Dean Ashworth")
    stored_result, errors = mapping.already_stored(again, other)
    assert stored_result is None
    assert errors[0]["field"] == "lab_reference"


# ---------------------------------------------------------------------------- amendments


def amend(original: TestResult, worker, body: dict) -> TestResult:
    model, reason, errors = validate_amendment(body, mapping.payload_of(original))
    assert errors == [], errors
    draft = mapping.amendment_draft(model, original, None)
    return services.amend(original, draft, reason=reason, by=worker, today=TODAY)


def test_an_amendment_keeps_the_original_and_links_both(parent, worker):
    original = record(parent, worker, {**peth(25), "lab": "Lextox", "lab_reference": "P-1"})
    amendment = amend(original, worker, {"reason": "Transcription error", "value": 18})
    first, second = present.results_out(parent)
    assert (first["id"], second["id"]) == (original.id, amendment.id)
    assert (first["amended_by"], first["amends"], first["counts"]) == (amendment.id, None, False)
    assert (second["amends"], second["amended_by"], second["counts"]) == (
        original.id,
        None,
        True,
    )
    assert second["amendment_reason"] == "Transcription error"
    assert (first["value"], second["value"]) == (25, 18)
    assert first["interpretation"]["band"] == "significant_drinking"
    assert second["interpretation"]["band"] == "consistent_with_abstinence"
    assert second["lab_reference"] == "P-1"  # kept; the importer's key stays on the original
    assert amendment.import_key is None
    assert original.import_key == "lextox|p-1"


def test_an_amended_version_cannot_be_amended_again(parent, worker):
    original = record(parent, worker, peth(25))
    amend(original, worker, {"reason": "Typo", "value": 18})
    model, reason, _ = validate_amendment(
        {"reason": "Again", "value": 17}, mapping.payload_of(original)
    )
    with pytest.raises(FieldErrors) as raised:
        services.amend(
            original,
            mapping.amendment_draft(model, original, None),
            reason=reason,
            by=worker,
            today=TODAY,
        )
    assert mapping.errors_from(raised.value, model) == [
        {"field": None, "message": "This result has already been amended: amend the latest version"}
    ]


@pytest.mark.parametrize(
    "body",
    [
        peth(25),
        SCREEN,
        LAB,
        hair({"from_cm": 0, "to_cm": 1, "substances": [{"substance": "etg", "value": 7}]}),
    ],
)
def test_a_stored_result_gives_back_the_body_that_stored_it(parent, worker, body):
    result = record(parent, worker, body)
    again = mapping.draft_for(model_of(mapping.payload_of(result), parent), parent, None)
    assert again.sample == mapping.draft_for(model_of(body, parent), parent, None).sample
    assert again.method is result.method


def test_an_amendment_from_the_registry_s_model(parent, worker):
    from fdac.api.results.schemas import AmendmentIn

    original = record(parent, worker, SCREEN)
    body = AmendmentIn.model_validate(
        {"reason": "Misread", "substances": [{"substance": "cocaine", "positive": False}]}
    )
    amendment = amend(original, worker, body)
    assert present.result_for(amendment)["interpretation"]["overall"] == "negative"
    assert amendment.amends_id == original.id
    assert amendment.method is Method.POINT_OF_CARE
