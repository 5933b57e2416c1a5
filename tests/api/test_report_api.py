"""GET /api/v1/cases/{reference}/report.xlsx: the summary page's Excel download, over the API."""

from datetime import timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from fdac.audit.models import AuditEvent
from fdac.extensions import db
from fdac.reports.anonymise import Pseudonyms
from fdac.reports.exports import workbook_text
from tests import factories
from tests.api.conftest import make_lab
from tests.api.test_progress_api import FIRST, LAST, TODAY, make_family, make_judge

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEETS = ["Summary", "Test results", "Contacts", "Hearings", "Results by week"]
PERIOD = {"from": FIRST.isoformat(), "to": LAST.isoformat()}


@pytest.fixture
def judge(team):
    return make_judge(team)


@pytest.fixture
def family(team, judge):
    return make_family(team, judge)


def path(case, **query) -> str:
    args = "&".join(f"{k}={v}" for k, v in query.items())
    return f"/api/v1/cases/{case.reference}/report.xlsx" + (f"?{args}" if args else "")


def exports() -> list[AuditEvent]:
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all()


def test_the_workbook_is_the_summarys(api_as, family, judge):
    case, *_ = family

    response = api_as(judge).get(path(case, **PERIOD))

    assert response.status_code == 200, response.data[:300]
    assert response.mimetype == XLSX
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename={case.reference}-summary-{FIRST}-to-{LAST}.xlsx"
    )
    wb = load_workbook(BytesIO(response.data))
    assert wb.sheetnames == SHEETS
    assert wb.properties.creator == "HHJ Patel"  # the author is the token's user
    text = workbook_text(response.data)
    assert "Kelly Ashworth" in text
    [event] = exports()
    assert event.case_id == case.id and event.actor_id == judge.id
    assert event.changes == {
        "format": [None, "xlsx"],
        "from": [None, FIRST.isoformat()],
        "to": [None, LAST.isoformat()],
        "anonymised": [None, False],
    }


def test_the_default_period_is_the_pages(api_as, family, judge):
    case, *_ = family

    response = api_as(judge).get(path(case))

    assert response.status_code == 200
    assert f"-summary-{FIRST}-to-{TODAY}.xlsx" in response.headers["Content-Disposition"]


def test_an_anonymised_workbook_names_no_one(api_as, family, judge):
    case, *_ = family

    response = api_as(judge).get(path(case, anonymise="true", **PERIOD))

    assert response.status_code == 200
    assert "summary-anonymised" in response.headers["Content-Disposition"]
    text = workbook_text(response.data)
    for name in ("Kelly", "Ashworth", "Patel"):
        assert name not in text
    assert load_workbook(BytesIO(response.data)).sheetnames == SHEETS
    [event] = exports()
    assert event.changes["anonymised"] == [None, True]


def test_a_name_that_slips_through_stops_the_export(api_as, family, judge, monkeypatch):
    case, *_ = family
    original = Pseudonyms.apply
    monkeypatch.setattr(
        Pseudonyms, "apply", lambda self, text: original(self, text).replace("The mother", "Kelly")
    )

    response = api_as(judge).get(path(case, anonymise="true", **PERIOD))

    assert response.status_code == 422
    [error] = response.get_json()["errors"]
    assert error["field"] == "anonymise"
    assert "nothing was exported" in error["message"]
    assert "Kelly" not in error["message"]
    assert "attachment" not in response.headers.get("Content-Disposition", "")
    assert exports() == []


def test_who_may_download(api_as, family, team):
    case, *_ = family
    other_judge = factories.make_user("judge", team=team, name="HHJ Okafor")

    assert api_as("practitioner").get(path(case)).status_code == 200
    for who, status in ((other_judge, 404), (make_lab(team), 403), ("admin", 404)):
        response = api_as(who).get(path(case))
        assert response.status_code == status
        assert response.mimetype == "application/json"
    assert len(exports()) == 1  # only the practitioner's


def test_bad_periods_are_refused_and_nothing_is_exported(api_as, family, judge):
    case, *_ = family
    client = api_as(judge)

    backwards = client.get(path(case, **{"from": LAST, "to": FIRST}))
    bad = client.get(path(case, **{"from": "yesterday", "to": "2026-13-01"}))
    too_long = client.get(path(case, **{"from": LAST - timedelta(days=5000), "to": LAST}))

    assert backwards.status_code == 422
    assert [e["field"] for e in backwards.get_json()["errors"]] == ["to"]
    assert {e["field"] for e in bad.get_json()["errors"]} == {"from", "to"}
    assert too_long.status_code == 422
    assert exports() == []


def test_the_document_declares_a_binary_download(api_as):
    document = api_as("practitioner").get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/cases/{reference}/report.xlsx"]["get"]

    assert operation["operationId"] == "case_report"
    assert operation["responses"]["200"]["content"] == {
        XLSX: {"schema": {"type": "string", "format": "binary"}}
    }
    assert {p["name"] for p in operation["parameters"]} == {"reference", "from", "to", "anonymise"}
    assert document["paths"]["/cases/{reference}/progress"]["get"]["operationId"] == (
        "case_progress"
    )
