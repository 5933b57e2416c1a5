"""Importing a lab's results file: every problem by row and column, all or nothing, and
never the same result twice."""

import csv
import io
import random
import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from bs4 import BeautifulSoup
from flask import url_for
from sqlalchemy import func, select

from fdac.audit.models import AuditEvent
from fdac.cases.phases import Phase
from fdac.dates import london_today
from fdac.extensions import db
from testing_results import lab_file_samples
from testing_results.importer import ImportRejected, import_file, parse
from testing_results.interpret import Status
from testing_results.lab_file import COLUMNS
from testing_results.models import HairSegment, LabImport, Method, SubstanceResult, TestResult
from testing_results.panels import Matrix, Substance
from tests import factories
from tests.conftest import error_summary

TODAY = date(2026, 11, 20)
GUIDE = Path(__file__).resolve().parents[2] / "docs" / "lab-import.md"


@pytest.fixture
def family(team):
    case = factories.make_case(team, reference="FDAC-2026-0042", entered_on=date(2026, 6, 1))
    factories.add_parent(case, "Kelly Ashworth")
    factories.add_parent(case, "Dean Ashworth")
    return case


@pytest.fixture
def worker(team, family):
    return factories.make_user("practitioner", team=team, name="Priya Shah")


def _row(**fields) -> dict:
    row = {
        "case_reference": "FDAC-2026-0042",
        "parent_name": "Kelly Ashworth",
        "test": "urine",
        "collected_on": "2026-10-06",
        "reported_on": "2026-10-09",
        "lab": "Northgate Toxicology",
        "lab_reference": "U-1",
        "substance": "cocaine",
        "value": "12",
    }
    return row | fields


def _csv(*rows: dict, columns=tuple(COLUMNS), header=None) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerow(header or columns)
    csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore").writerows(rows)
    return out.getvalue().encode()


def _import(user, *rows, filename="results.csv", **kwargs):
    return import_file(_csv(*rows, **kwargs), filename, user=user, today=TODAY)


def _problems(user, *rows, **kwargs) -> list[str]:
    with pytest.raises(ImportRejected) as rejected:
        _import(user, *rows, **kwargs)
    return [str(error) for error in rejected.value.errors]


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _hair(lab_reference="H-1", segments=((0, 1), (1, 2), (2, 3)), **fields) -> list[dict]:
    return [
        _row(
            test="hair",
            lab_reference=lab_reference,
            segment_from_cm=str(start),
            segment_to_cm=str(end),
            value="0.4",
            **fields,
        )
        for start, end in segments
    ]


# ---------------------------------------------------------------------------- a good file


def test_a_lab_file_adds_one_result_per_sample_with_its_readings_and_audit(worker, family):
    outcome = _import(
        worker,
        _row(test="peth", substance="alcohol", value="48", unit="ng/mL", lab_reference="P-1"),
        *_hair(unit="ng/mg", cutoff="0.5"),
        _row(test="hair", lab_reference="H-1", substance="alcohol", value="12", unit="pg/mg",
             segment_from_cm="0", segment_to_cm="1"),
        _row(substance="cocaine", value="310", cutoff="150", creatinine_mg_dl="85", observed="yes"),
        _row(substance="cannabis", value="12", creatinine_mg_dl="85", observed="yes"),
        _row(parent_name="  dean ASHWORTH ", status="missed", substance="", value="",
             lab_reference="M-1", note="Did not attend"),
    )  # fmt: skip

    assert (outcome.added, outcome.already_present, outcome.rows) == (4, 0, 8)
    assert outcome.lab_import.results_added == 4
    results = {r.lab_reference: r for r in db.session.scalars(select(TestResult))}
    peth, hair, urine, missed = results["P-1"], results["H-1"], results["U-1"], results["M-1"]
    assert (peth.matrix, peth.value, peth.method) == (Matrix.PETH, Decimal("48"), Method.LABORATORY)
    assert peth.import_key == "northgate toxicology|p-1"
    assert [(s.position, s.from_cm, s.to_cm) for s in hair.segments] == [
        (0, 0, 1),
        (1, 1, 2),
        (2, 2, 3),
    ]
    etg = next(r for r in hair.readings if r.substance is Substance.ALCOHOL)
    assert etg.segment.position == 0
    assert urine.creatinine_mg_dl == 85 and urine.observed is True
    assert {r.substance: r.cutoff for r in urine.readings} == {
        Substance.COCAINE: Decimal("150"),
        Substance.CANNABIS: None,
    }
    assert (missed.status, missed.status_reason, missed.parent.name) == (
        Status.MISSED,
        "Did not attend",
        "Dean Ashworth",
    )
    assert {r.entered_by_id for r in results.values()} == {worker.id}

    # The bulk inserts leave an audit row per result, with its readings and segments in it.
    event = db.session.scalar(
        select(AuditEvent).where(
            AuditEvent.table_name == "test_results", AuditEvent.record_id == str(peth.id)
        )
    )
    assert (event.action, event.case_id) == ("insert", family.id)
    assert event.changes["value"] == [None, "48"]
    assert event.changes["matrix"] == [None, "peth"]
    assert event.changes["id"] == [None, peth.id]
    assert event.changes["readings"] == [None, []]  # PEth: the reading is the result's value
    events = select(func.count()).where(AuditEvent.table_name == "test_results")
    assert db.session.scalar(events) == _count(TestResult)
    hair = next(r for r in results.values() if r.segments)
    hair_event = db.session.scalar(
        select(AuditEvent).where(
            AuditEvent.table_name == "test_results", AuditEvent.record_id == str(hair.id)
        )
    )
    assert len(hair_event.changes["segments"][1]) == len(hair.segments)
    assert sorted(r["substance"] for r in hair_event.changes["readings"][1]) == sorted(
        r.substance.value for r in hair.readings
    )


def test_dates_may_be_day_first_and_names_and_units_loosely_written(worker):
    outcome = _import(
        worker,
        _row(
            test="BREATH", substance="", value="0", unit="ug/100ml", collected_on="06/10/2026",
            reported_on="", parent_name="kelly  ashworth",
        ),
        header=[f" {c.upper()} " for c in COLUMNS],
    )  # fmt: skip
    assert outcome.added == 1
    result = db.session.scalar(select(TestResult))
    assert (result.matrix, result.collected_on) == (Matrix.BREATH, date(2026, 10, 6))


def test_an_excel_workbook_imports_like_a_csv(worker):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(COLUMNS))
    for substance, value in (("cocaine", 0.8), ("cannabis", 0.02)):
        row = _row(
            test="hair",
            substance=substance,
            value=value,
            collected_on=date(2026, 9, 1),
            reported_on=date(2026, 9, 15),
            segment_from_cm=0,
            segment_to_cm=3,
            observed=True,
        )
        sheet.append([row.get(column) for column in COLUMNS])
    sheet.append([])  # a blank row the lab left in
    sheet.append([_row(lab_reference="U-2").get(column) for column in COLUMNS])
    content = io.BytesIO()
    book.save(content)

    outcome = import_file(content.getvalue(), "lab.xlsx", user=worker, today=TODAY)

    assert (outcome.added, outcome.rows) == (2, 3)
    hair = db.session.scalar(select(TestResult).where(TestResult.matrix == Matrix.HAIR))
    assert hair.collected_on == date(2026, 9, 1) and hair.observed is True
    assert sorted(r.value for r in hair.readings) == [Decimal("0.02"), Decimal("0.8")]


def test_the_example_in_the_guide_imports(worker):
    example = re.search(r"```csv\n(.*?)```", GUIDE.read_text(), re.DOTALL).group(1)
    outcome = import_file(example.encode(), "example.csv", user=worker, today=TODAY)
    assert (outcome.added, outcome.rows) == (4, 9)


# ------------------------------------------------------------------ problems, row by row


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        (
            {"substance": "speed"},
            'Row 3, column substance: "speed" is not a substance we know. Use one of: '
            "alcohol, cocaine, cannabis, amphetamine, methamphetamine, mdma, opiates, 6-mam, "
            "methadone, buprenorphine, benzodiazepines",
        ),
        ({"value": "-3"}, "Row 3, column value: Cocaine concentration must be 0 or more"),
        ({"value": "1,2"}, 'Row 3, column value: "1,2" is not a number'),
        (
            {"collected_on": "2026-11-21", "reported_on": ""},
            "Row 3, column collected_on: Date collected must be today or in the past",
        ),
        (
            {"collected_on": "2026-05-31", "reported_on": ""},
            "Row 3, column collected_on: Date collected must be on or after the date the family "
            "entered FDAC (1 June 2026)",
        ),
        (
            {"reported_on": "2026-10-05"},
            "Row 3, column reported_on: Date reported must be on or after the date collected",
        ),
        (
            {"collected_on": "31/02/2026"},
            'Row 3, column collected_on: "31/02/2026" is not a date. Use YYYY-MM-DD or DD/MM/YYYY',
        ),
        (
            {"parent_name": "Jade Carver"},
            'Row 3, column parent_name: "Jade Carver" is not a parent in case FDAC-2026-0042',
        ),
        (
            {"case_reference": "fdac-2026-9999"},
            'Row 3, column case_reference: "FDAC-2026-9999" is not a case you can record '
            "results for: check the FDAC reference",
        ),
        (
            {"test": "blood"},
            'Row 3, column test: "blood" is not a test we know. Use one of: '
            "breath, oral_fluid, urine, peth, hair",
        ),
        ({"substance": "6-mam"}, "Row 3, column substance: 6-MAM (heroin) is not tested in Urine"),
        (
            {"unit": "mg/L"},
            'Row 3, column unit: "mg/L" is not the unit of this test: use ng/mL '
            "(or leave unit empty)",
        ),
        ({"value": ""}, "Row 3, column value: Enter the result's value"),
        ({"observed": "maybe"}, 'Row 3, column observed: "maybe" is not yes or no'),
        (
            {"status": "missed", "substance": "", "value": "", "lab_reference": "M-1"},
            "Row 3, column note: Enter the reason the test did not happen",
        ),
        (
            {"segment_from_cm": "0"},
            "Row 3, column segment_from_cm: Only hair results have segments",
        ),
    ],
)
def test_a_bad_row_is_named_by_row_and_column(worker, fields, problem):
    assert _problems(worker, _row(lab_reference="U-0"), _row(**fields)) == [problem]


def test_collection_before_entry_names_the_first_row_of_the_sample(worker):
    problems = _problems(
        worker,
        _row(collected_on="2026-05-01", reported_on=""),
        _row(collected_on="2026-05-01", reported_on="", substance="cannabis"),
    )
    assert problems == [
        "Row 2, column collected_on: Date collected must be on or after the date the family "
        "entered FDAC (1 June 2026)"
    ]


def test_overlapping_hair_segments_are_named_by_the_row_of_the_later_segment(worker):
    problems = _problems(worker, *_hair(segments=((0, 2), (1, 3))))
    assert problems == [
        "Row 3, column segment_from_cm: Segment 2 (1 to 3 cm) overlaps segment 1 (0 to 2 cm)"
    ]


@pytest.mark.parametrize(
    ("rows", "problems"),
    [
        (
            [_row(reported_on="2026-11-21")],
            ["Row 12, column reported_on: Date reported must be today or in the past"],
        ),
        ([_row(cutoff="-1")], ["Row 12, column cutoff: Cocaine cut-off must be 0 or more"]),
        (
            [_row(test="oral_fluid", substance="benzodiazepines")],
            ["Row 12, column cutoff: Enter the lab's cut-off for benzodiazepines"],
        ),
        (
            [_row(creatinine_mg_dl="-5")],
            ["Row 12, column creatinine_mg_dl: Creatinine must be 0 or more"],
        ),
        (
            [_row(test="peth", substance="alcohol", value="-1")],
            ["Row 12, column value: Reading must be 0 or more"],
        ),
        (
            _hair(segments=((2, 1),)),
            [
                "Row 12, column segment_from_cm: Segment 1 must start at 0 cm or more and end "
                "after it starts"
            ],
        ),
        (
            _hair(segments=((0, 1), (-1, 0))),
            [
                "Row 13, column segment_from_cm: Segment 1 must start at 0 cm or more and end "
                "after it starts"
            ],
        ),
        (
            [_row(status="refused", substance="", value="")],
            ["Row 12, column note: Enter the reason the test did not happen"],
        ),
    ],
)
def test_every_sample_is_held_to_the_rules_of_a_result_entered_by_hand(worker, rows, problems):
    good = [
        _row(lab_reference=f"G-{n}", substance=s) for n in range(5) for s in ("cocaine", "cannabis")
    ]
    after = [_row(lab_reference=f"H-{n}") for n in range(5)]
    bad = [row | {"lab_reference": "B-1"} for row in rows]
    assert _problems(worker, *good, *bad, *after) == problems


def _random_sample(rng: random.Random, n: int) -> list[dict]:
    """One sample whose cells are readable, but whose dates and values may break a rule."""
    test = rng.choice(["urine", "oral_fluid", "hair", "peth", "breath"])
    common = {
        "test": test,
        "lab_reference": f"S-{n}",
        "collected_on": rng.choice(["2026-10-06", "06/10/2026", "2026-05-31", "2026-11-21"]),
        "reported_on": rng.choice(["", "2026-10-09", "2026-10-01", "2026-11-22"]),
        "creatinine_mg_dl": rng.choice(["", "30", "0", "-1"]) if test == "urine" else "",
    }
    values, cutoffs = ["0", "5", "0.000", "-1", "-0"], ["", "", "10", "0", "-2"]
    if rng.random() < 0.15:
        note = rng.choice(["", "Did not attend"])
        return [_row(**common, status="missed", substance="", value="", note=note)]
    if test in ("peth", "breath"):
        return [_row(**common, substance=rng.choice(["", "alcohol"]), value=rng.choice(values))]
    if test == "hair":
        pairs = [(0, 1), (1, 2), (2, 3), (0, 2), (2, 1), (-1, 0), ("1.0", "2.00"), (3, 3)]
        return [
            _row(
                **common,
                substance=substance,
                value=rng.choice(values),
                cutoff=rng.choice(cutoffs),
                segment_from_cm=str(start),
                segment_to_cm=str(end),
            )
            for start, end in rng.sample(pairs, rng.randint(1, 3))
            for substance in rng.sample(["cocaine", "cannabis", "alcohol"], rng.randint(1, 3))
        ]
    substances = ["cocaine", "cannabis", "opiates", "benzodiazepines"]
    return [
        _row(**common, substance=substance, value=rng.choice(values), cutoff=rng.choice(cutoffs))
        for substance in rng.sample(substances, rng.randint(1, 4))
    ]


def test_asking_services_problems_about_every_sample_finds_nothing_more(worker, monkeypatch):
    """Each sample is first held to services.problems()'s rules with all samples at once, and
    only those that may break one are checked by it: no problem may slip through."""
    rng = random.Random(2026)
    content = _csv(*(row for n in range(400) for row in _random_sample(rng, n)))

    def problems() -> list[str]:
        with pytest.raises(ImportRejected) as rejected:
            import_file(content, "results.csv", user=worker, today=TODAY)
        return [str(error) for error in rejected.value.errors]

    found = problems()
    monkeypatch.setattr(
        lab_file_samples,
        "_may_have_problems",
        lambda cells, noted, parents, layout, today: np.ones(layout.count, dtype=bool),
    )
    assert problems() == found
    assert len(found) > 100  # the file breaks each rule many times
    for rule in (
        "must be today or in the past",
        "on or after the date the family entered FDAC",
        "on or after the date collected",
        "cut-off must be 0 or more",
        "concentration must be 0 or more",
        "Reading must be 0 or more",
        "Creatinine must be 0 or more",
        "Enter the lab's cut-off",
        "must start at 0 cm or more",
        "overlaps segment",
        "Enter the reason the test did not happen",
    ):
        assert any(rule in problem for problem in found), rule


def test_a_case_of_another_team_is_refused_as_if_it_did_not_exist(worker):
    other = factories.make_case(factories.make_team(), reference="FDAC-2026-0777")
    factories.add_parent(other, "Kelly Ashworth")
    assert _problems(worker, _row(case_reference="FDAC-2026-0777")) == [
        'Row 2, column case_reference: "FDAC-2026-0777" is not a case you can record results '
        "for: check the FDAC reference"
    ]


def test_a_closed_case_takes_no_more_results(worker, team):
    closed = factories.make_case(team, reference="FDAC-2025-0001", phase=Phase.CLOSED)
    factories.add_parent(closed)
    assert _problems(worker, _row(case_reference="FDAC-2025-0001")) == [
        "Row 2, column case_reference: Case FDAC-2025-0001 is closed: results cannot be added to it"
    ]


def test_rows_of_one_sample_must_agree_and_single_readings_have_one_row(worker):
    problems = _problems(
        worker,
        _row(),
        _row(substance="cannabis", collected_on="2026-10-07"),
        _row(substance="cocaine", value="15"),
        _row(test="peth", substance="alcohol", lab_reference="P-1"),
        _row(test="peth", substance="", lab_reference="p-1 "),
    )
    assert problems == [
        "Row 3, column collected_on: Use the same collected_on in every row of one sample: row 2 "
        'has "2026-10-06" (same lab and lab_reference)',
        "Row 4, column substance: Cocaine is already in row 2 of this sample",
        "Row 6, column lab_reference: A PEth (blood) result has one row: row 5 has the same lab "
        "and lab_reference",
    ]


def test_every_problem_in_the_file_is_reported_at_once_in_row_order(worker):
    problems = _problems(
        worker,
        _row(value="-1", lab_reference="A"),
        _row(substance="speed", lab_reference="B"),
        _row(test="hair", substance="cocaine", lab_reference="C"),
        _row(case_reference="", parent_name="", lab_reference="D"),
    )
    assert [p.split(":")[0] for p in problems] == [
        "Row 2, column value",
        "Row 3, column substance",
        "Row 4, column segment_from_cm",
        "Row 5, column case_reference",
        "Row 5, column parent_name",
    ]


def test_a_missing_column_is_one_problem_naming_it(worker):
    columns = [c for c in COLUMNS if c not in ("value", "lab")]
    assert _problems(worker, _row(), columns=columns) == [
        "Row 1, column lab: The file has no lab column: add it",
        "Row 1, column value: The file has no value column: add it",
    ]


def test_a_column_given_twice_is_refused(worker):
    header = [*COLUMNS, "Value"]
    assert _problems(worker, _row(), header=header, columns=[*COLUMNS, "value"]) == [
        "Row 1, column value: The file has more than one value column: keep one"
    ]


def test_a_semicolon_separated_windows_file_is_read(worker):
    content = _csv(_row(test="breath", substance="", value="0", unit="µg/100mL"))
    content = content.decode().replace(",", ";").encode("cp1252")
    assert import_file(content, "BREATH.CSV", user=worker, today=TODAY).added == 1


@pytest.mark.parametrize(
    ("content", "filename", "problem"),
    [
        (b"", "lab.csv", "The file is empty"),
        (b"a,b\n", "lab.csv", "The file has no rows of results"),
        (b"anything", "lab.xls", "The file must be a CSV or an Excel workbook (.xlsx)"),
        (b"not a zip", "lab.xlsx", "The file could not be read as an Excel workbook (.xlsx)"),
    ],
)
def test_an_unreadable_file_is_refused(content, filename, problem):
    with pytest.raises(ImportRejected) as rejected:
        parse(content, filename)
    assert [str(e) for e in rejected.value.errors] == [problem]


# ------------------------------------------------------------- all or nothing, idempotence


def test_one_bad_row_means_nothing_is_stored(worker):
    with pytest.raises(ImportRejected):
        _import(worker, *_hair(), _row(), _row(lab_reference="U-2", value="-5"))
    for model in (TestResult, HairSegment, SubstanceResult, LabImport):
        assert _count(model) == 0, model
    tables = ["test_results", "hair_segments", "substance_results", "lab_imports"]
    assert db.session.scalar(select(func.count()).where(AuditEvent.table_name.in_(tables))) == 0


def test_the_same_file_twice_adds_nothing_the_second_time(worker, team):
    rows = (_row(), _row(substance="cannabis"), *_hair())
    first = _import(worker, *rows)
    colleague = factories.make_user("team_manager", team=team)

    again = import_file(_csv(*rows), "results-copy.csv", user=colleague, today=TODAY)

    assert first.added == 2
    assert again.duplicate and again.added == 0 and again.lab_import is None
    assert (again.already_imported_on, again.already_imported_by) == (london_today(), "Priya Shah")
    assert (_count(TestResult), _count(LabImport)) == (2, 1)


def test_an_overlapping_file_adds_only_the_new_samples(worker):
    _import(worker, _row(), *_hair())
    outcome = _import(
        worker,
        _row(lab=" NORTHGATE toxicology", lab_reference="u-1"),  # the same sample, written so
        _row(lab_reference="U-2", collected_on="2026-10-13", reported_on="2026-10-15"),
    )
    assert (outcome.added, outcome.already_present) == (1, 1)
    assert _count(TestResult) == 3
    assert _count(LabImport) == 2


# ------------------------------------------------------------------------------ the page


def _check_page_basics(page) -> None:
    assert page.title.get_text(strip=True).endswith("– FDAC Manager")
    assert len(page.select("h1")) == 1
    ids = [tag["id"] for tag in page.select("[id]")]
    assert len(ids) == len(set(ids))


def _upload(who, content: bytes, filename: str):
    url = url_for("lab_imports.upload")
    page = BeautifulSoup(who.raw.get(url).data, "html.parser")
    token = page.select_one("input[name=csrf_token]")["value"]
    return who.raw.post(
        url,
        data={"csrf_token": token, "file": (io.BytesIO(content), filename)},
        content_type="multipart/form-data",
    )


def _recent(days: int) -> str:
    return (london_today() - timedelta(days=days)).isoformat()


def test_practitioner_uploads_a_file_and_sees_it_in_the_list(signed_in, team):
    case = factories.make_case(
        team, reference="FDAC-2026-0042", entered_on=london_today() - timedelta(days=200)
    )
    factories.add_parent(case)
    practitioner = signed_in("practitioner", name="Tom Okafor")
    content = _csv(
        _row(collected_on=_recent(3), reported_on=_recent(1)),
        _row(collected_on=_recent(3), reported_on=_recent(1), substance="cannabis"),
        _row(test="peth", substance="", value="25", lab_reference="P-9", collected_on=_recent(9),
             reported_on=""),
    )  # fmt: skip

    response = _upload(practitioner, content, "november.csv")

    assert response.status_code == 302
    assert response.location == url_for("lab_imports.upload")
    page = practitioner.get("lab_imports.upload")
    banner = page.select_one(".govuk-notification-banner").get_text(" ", strip=True)
    assert "Imported 2 results from november.csv (0 already present)" in banner
    cells = [td.get_text(strip=True) for td in page.select("tbody tr")[0].select("td")]
    assert cells[1:] == ["november.csv", "3", "2", "Tom Okafor"]

    again = _upload(practitioner, content, "november.csv")
    page = BeautifulSoup(again.data, "html.parser")
    assert again.status_code == 200
    assert "was already imported on" in page.select_one(".govuk-notification-banner").get_text()
    assert _count(TestResult) == 2


def test_a_rejected_upload_lists_every_problem_and_imports_nothing(signed_in, team):
    case = factories.make_case(
        team, reference="FDAC-2026-0042", entered_on=london_today() - timedelta(days=200)
    )
    factories.add_parent(case)
    rows = [
        _row(lab_reference=f"U-{n}", substance="speed", collected_on=_recent(2), reported_on="")
        for n in range(60)
    ]

    response = _upload(signed_in("practitioner"), _csv(*rows), "bad.csv")

    page = BeautifulSoup(response.data, "html.parser")
    assert response.status_code == 200
    assert page.title.get_text().startswith("Error:")
    summary = error_summary(page)
    assert len(summary) == 50
    assert summary[0].startswith('Row 2, column substance: "speed" is not a substance we know')
    assert "Nothing was imported" in page.select_one(".govuk-error-summary").get_text()
    assert len(page.select("#problem-60")) == 1
    _check_page_basics(page)
    assert _count(TestResult) == 0 and _count(LabImport) == 0


def test_uploading_without_a_file_or_with_another_kind_asks_again(signed_in):
    practitioner = signed_in("practitioner")
    page = practitioner.post("lab_imports.upload", {}, _expected_status=200)
    assert error_summary(page) == ["Select a lab results file"]
    response = _upload(practitioner, b"%PDF", "results.pdf")
    assert error_summary(BeautifulSoup(response.data, "html.parser")) == [
        "The selected file must be a CSV or an Excel file (.xlsx)"
    ]


def test_the_page_explains_the_layout_and_offers_the_guide_and_an_example(signed_in):
    practitioner = signed_in("practitioner")
    page = practitioner.get("lab_imports.upload")
    _check_page_basics(page)
    assert "segment_from_cm" in page.get_text()
    guide = practitioner.raw.get(url_for("lab_imports.guide"))
    assert guide.mimetype == "text/plain" and b"All or nothing" in guide.data
    example = practitioner.raw.get(url_for("lab_imports.example"))
    assert example.mimetype == "text/csv"
    assert example.data.startswith(b"case_reference,parent_name,test,")


@pytest.mark.parametrize("role", ["judge", "admin"])
def test_judges_and_admins_cannot_import(signed_in, role):
    signed_in(role).get("lab_imports.upload", _expected_status=403)
    who = signed_in(role)
    assert who.raw.get(url_for("lab_imports.example")).status_code == 403


def test_a_file_larger_than_the_limit_is_refused_with_a_clear_page(app, signed_in, monkeypatch):
    from flask import url_for

    assert app.config["MAX_CONTENT_LENGTH"] == 32 * 1024 * 1024
    # A small limit for the test: a 32 MB body would make the test client spool to disk.
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 10_000)
    worker = signed_in("practitioner")
    response = worker.raw.post(
        url_for("lab_imports.upload"),
        data={"file": (io.BytesIO(b"x" * 20_000), "huge.csv")},
        content_type="multipart/form-data",
    )
    response.close()
    assert response.status_code == 413
    assert "The file is too large" in response.get_data(as_text=True)
