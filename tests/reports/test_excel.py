"""One case's progress summary as an Excel workbook: read back with openpyxl as Excel would."""

from datetime import UTC, date, datetime, time
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from fdac.audit.models import AuditEvent
from fdac.extensions import db
from testing_results.interpret import Reading, Status
from testing_results.models import Method, SubstanceResult, TestResult
from testing_results.panels import Matrix, Substance
from tests import factories
from tests.contacts.caseload_helpers import add_contact
from tests.reports.test_summary import add_breath, hold

PERIOD = {"from": "2027-03-02", "to": "2027-03-15"}


@pytest.fixture
def judge(team):
    return factories.make_user("judge", team=team, name="HHJ Patel")


@pytest.fixture
def family(team, judge):
    case = factories.make_case(
        team,
        judge_id=judge.id,
        entered_on=date(2027, 1, 4),
        issued_on=date(2027, 1, 1),
        reference="FDAC-2027-0007",
    )
    return case, factories.add_parent(case, "Kelly Ashworth")


def add_urine(parent, day: date, cocaine: str):
    result = TestResult(
        case_id=parent.case_id,
        parent_id=parent.id,
        matrix=Matrix.URINE,
        method=Method.LABORATORY,
        collected_on=day,
        readings=[
            SubstanceResult(substance=Substance.COCAINE, value=Decimal(cocaine)),
            SubstanceResult(substance=Substance.CANNABIS, screen=Reading.NEGATIVE),
        ],
    )
    db.session.add(result)
    db.session.commit()
    return result


def download(client, case, **period):
    response = client.raw.get(f"/cases/{case.reference}/summary.xlsx", query_string=period)
    assert response.status_code == 200, response.text[:300]
    return response


def workbook(response):
    return load_workbook(BytesIO(response.data))


def rows(ws) -> list[tuple]:
    return list(ws.iter_rows(values_only=True))


@pytest.fixture
def busy(family):
    case, kelly = family
    add_breath(kelly, date(2027, 3, 3))
    add_urine(kelly, date(2027, 3, 5), "200")  # cocaine at or above the cut-off of 150
    add_breath(kelly, date(2027, 3, 8), status=Status.MISSED)
    add_contact(kelly, date(2027, 3, 4), at=time(14, 30))
    add_contact(kelly, date(2027, 3, 11), "did_not_attend")
    hold(case, date(2027, 3, 1), "Attend every test")  # before the period: its goals
    held = hold(case, date(2027, 3, 15), "Start the parenting group")
    held.move_reason = ""
    moved = factories.add_hearing(case, date(2027, 3, 9), "irh", planned_for=date(2027, 3, 8))
    moved.move_reason = "Bank holiday"
    db.session.commit()
    return case, kelly


def test_the_workbook_has_a_sheet_per_part_each_with_a_frozen_header(busy, judge, signed_in):
    case, _ = busy
    response = download(signed_in(judge), case, **PERIOD)

    assert response.mimetype == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response.headers["Content-Disposition"].endswith(
        "filename=FDAC-2027-0007-summary-2027-03-02-to-2027-03-15.xlsx"
    )
    wb = workbook(response)
    assert wb.sheetnames == ["Summary", "Test results", "Contacts", "Hearings", "Results by week"]
    assert all(wb[name].freeze_panes == "A2" for name in wb.sheetnames)
    assert rows(wb["Test results"])[0] == (
        "Date",
        "Parent",
        "Test",
        "Substance",
        "Value",
        "Unit",
        "Cut-off",
        "Result",
        "Interpretation",
        "Confirmed",
        "Amended",
    )
    assert rows(wb["Contacts"])[0][:4] == ("Date and time", "Parent", "Kind", "What happened")
    assert rows(wb["Hearings"])[0][:3] == ("Date", "Time", "Kind")
    widths = wb["Test results"].column_dimensions
    assert widths["I"].width > widths["A"].width  # the interpretation is the widest column
    assert wb["Test results"]["A1"].font.bold


def test_each_sheet_prints_on_a4_landscape_one_page_wide_repeating_its_header(
    busy, judge, signed_in
):
    case, _ = busy
    wb = workbook(download(signed_in(judge), case, **PERIOD))

    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape"
        assert ws.page_setup.paperSize == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) in {(None, 0), (1, 0)}
        assert ws.print_title_rows == "$1:$1"


def test_the_summary_sheet_names_the_court_case_judge_period_and_figures(busy, judge, signed_in):
    case, _ = busy
    ws = workbook(download(signed_in(judge), case, **PERIOD))["Summary"]
    fields = {row[0]: row[1] for row in rows(ws) if row and row[0]}

    assert fields["Court"] == case.team.court_name
    assert fields["Case number"] == case.court_case_number
    assert fields["FDAC reference"] == "FDAC-2027-0007"
    assert fields["Judge"] == "HHJ Patel"
    assert fields["Period from"] == datetime(2027, 3, 2)
    assert fields["Period to"] == datetime(2027, 3, 15)
    assert ws["B6"].is_date and ws["B6"].number_format == "d mmmm yyyy"
    assert fields["Prepared by"] == "HHJ Patel"
    assert "Kelly Ashworth (mother)" in fields
    assert fields["Tests in the period"] == 3
    assert fields["Positive or not taken"] == 2
    assert fields["Last review's goals"] == "Attend every test"


def test_a_row_per_result_and_substance_with_the_pages_interpretation(busy, judge, signed_in):
    case, _ = busy
    ws = workbook(download(signed_in(judge), case, **PERIOD))["Test results"]
    table = rows(ws)[1:]

    assert [r[:4] for r in table] == [
        (datetime(2027, 3, 3), "Kelly Ashworth", "Breath alcohol", "Alcohol"),
        (datetime(2027, 3, 5), "Kelly Ashworth", "Urine (laboratory)", "Cocaine"),
        (datetime(2027, 3, 5), "Kelly Ashworth", "Urine (laboratory)", "Cannabis (THC)"),
        (datetime(2027, 3, 8), "Kelly Ashworth", "Breath alcohol", None),
    ]
    cocaine = table[1]
    assert cocaine[4:] == (
        200,
        "ng/mL",
        150,
        "Positive",
        "At or above the cut-off of 150 ng/mL",
        "No",
        "No",
    )
    assert table[2][7:9] == ("Negative", "Screen negative")
    assert table[3][7:9] == ("Missed", "Missed (did not attend): counts as a positive")
    # Dates are dates to Excel, not text.
    assert all(ws.cell(row=n, column=1).is_date for n in range(2, 6))
    assert ws["A2"].number_format == "d mmmm yyyy"


def test_positives_and_missed_tests_are_highlighted_and_named(busy, judge, signed_in):
    case, _ = busy
    ws = workbook(download(signed_in(judge), case, **PERIOD))["Test results"]
    fill = {n: ws.cell(row=n, column=8).fill.fgColor.rgb for n in range(2, 6)}
    word = {n: ws.cell(row=n, column=8).value for n in range(2, 6)}

    assert word[3] == "Positive" and fill[3].endswith("F4CDC6")
    assert word[5] == "Missed" and fill[5].endswith("FCE3C8")
    assert fill[2] == fill[4] == "00000000"  # negatives: no fill


def test_contacts_and_hearings_of_the_period(busy, judge, signed_in):
    case, _ = busy
    wb = workbook(download(signed_in(judge), case, **PERIOD))

    contacts = rows(wb["Contacts"])[1:]
    assert contacts[0][:5] == (
        datetime(2027, 3, 4, 14, 30),  # London wall-clock time
        "Kelly Ashworth",
        "Home visit",
        "Attended",
        60,
    )
    assert contacts[1][3] == "Did not attend"
    assert wb["Contacts"]["A2"].is_date
    hearings = rows(wb["Hearings"])[1:]
    assert [(h[0], h[2], h[4], h[5]) for h in hearings] == [
        (datetime(2027, 3, 9), "Issues resolution hearing (IRH)", "Planned", datetime(2027, 3, 8)),
        (datetime(2027, 3, 15), "Non-lawyer review (NLR)", "Held", None),
    ]
    assert hearings[0][6] == "Bank holiday"
    assert hearings[1][7] == "Start the parenting group"


def test_a_line_chart_of_the_tests_per_week(busy, judge, signed_in):
    case, _ = busy
    wb = workbook(download(signed_in(judge), case, **PERIOD))

    [chart] = wb["Summary"]._charts
    assert chart.tagname == "lineChart"
    by_week = rows(wb["Results by week"])
    assert by_week[0] == (
        "Week beginning",
        "Kelly Ashworth: negative",
        "Kelly Ashworth: positive or not taken",
    )
    assert by_week[1:] == [
        (datetime(2027, 3, 1), 1, 1),
        (datetime(2027, 3, 8), 0, 1),
        (datetime(2027, 3, 15), 0, 0),
    ]


def test_an_empty_period_says_nothing_was_recorded(family, judge, signed_in):
    case, _ = family
    wb = workbook(download(signed_in(judge), case, **{"from": "2027-02-01", "to": "2027-02-07"}))

    for name in ("Test results", "Contacts", "Hearings", "Results by week"):
        assert rows(wb[name])[1] == ("Nothing recorded in this period",) + (None,) * (
            wb[name].max_column - 1
        ), name
    assert wb["Summary"]._charts == []


def test_each_export_is_in_the_audit_trail(busy, judge, signed_in):
    case, _ = busy
    download(signed_in(judge), case, **PERIOD)

    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all()
    assert (event.table_name, event.record_id, event.case_id) == ("cases", str(case.id), case.id)
    assert (event.actor_id, event.actor_label) == (judge.id, f"HHJ Patel <{judge.email}>")
    assert event.changes == {
        "format": [None, "xlsx"],
        "from": [None, "2027-03-02"],
        "to": [None, "2027-03-15"],
        "anonymised": [None, False],
    }
    assert event.at.tzinfo is not None and event.at <= datetime.now(UTC)


def test_a_bad_period_is_the_pages_error_and_exports_nothing(family, judge, signed_in):
    case, _ = family
    response = signed_in(judge).raw.get(
        f"/cases/{case.reference}/summary.xlsx", query_string={"from": "2027-02-30"}
    )
    assert response.status_code == 400
    assert "From must be a real date" in response.text
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export")) is None


def test_only_the_cases_own_judge_and_team_may_export(family, team, signed_in):
    case, _ = family
    other_judge = factories.make_user("judge", team=team)
    signed_in(other_judge).get("reports.summary_xlsx", 404, reference=case.reference)
    signed_in("admin").get("reports.summary_xlsx", 404, reference=case.reference)
    other_team = factories.make_team()
    signed_in(factories.make_user("practitioner", team=other_team)).get(
        "reports.summary_xlsx", 404, reference=case.reference
    )
    signed_in("practitioner").get("reports.summary_xlsx", 200, reference=case.reference)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export")) is not None


def test_the_summary_page_links_to_both_downloads_for_its_period(family, judge, signed_in):
    case, _ = family
    page = signed_in(judge).get("reports.summary", reference=case.reference, **PERIOD)
    excel_link = page.select_one("#download-xlsx")
    pdf_link = page.select_one("#download-pdf")
    assert excel_link.get_text() == "Download as Excel"
    assert pdf_link.get_text() == "Download as PDF"
    assert "summary.xlsx?from=2027-03-02&to=2027-03-15" in excel_link["href"].replace("&amp;", "&")
    assert "summary.pdf?from=2027-03-02&to=2027-03-15" in pdf_link["href"].replace("&amp;", "&")
    assert "app-no-print" in page.select_one("#report-downloads")["class"]


def test_the_cases_history_lists_the_export(family, signed_in):
    case, _ = family
    manager = signed_in("team_manager")
    manager.get("reports.summary_xlsx", reference=case.reference, **PERIOD)

    page = manager.get("cases.history", reference=case.reference)
    row = page.select_one("tbody tr")
    assert "Exported the case's report" in row.get_text()
    assert "xlsx" in row.get_text() and "2027-03-02" in row.get_text()


def test_long_text_wraps_in_a_row_tall_enough_to_show_it(family, judge, signed_in):
    case, kelly = family
    factories.add_peth(kelly, "12", collected_on=date(2027, 3, 4))  # a long interpretation
    wb = workbook(download(signed_in(judge), case, **PERIOD))

    ws = wb["Test results"]
    [row] = [r for r in ws.iter_rows(min_row=2) if r[2].value == "PEth (blood)"]
    meaning = row[8]
    assert len(meaning.value) > ws.column_dimensions["I"].width  # wider than its column
    assert meaning.alignment.wrap_text
    assert ws.row_dimensions[meaning.row].height >= 30  # two lines or more
    assert ws.row_dimensions[1].height is None  # the header keeps the usual height
