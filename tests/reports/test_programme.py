"""The programme-wide export for commissioners: a team's year, anonymised, streamed."""

import tempfile
from datetime import UTC, date, datetime, time, timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from fdac.audit.models import AuditEvent
from fdac.cases.models import PhaseChange
from fdac.cases.people import Relationship
from fdac.cases.phases import Outcome, Phase
from fdac.contacts.loading import compliance_for_cases
from fdac.dates import london_today
from fdac.extensions import db
from fdac.reports import programme, programme_rows
from testing_results import services
from testing_results.interpret import Overall, Status, trend_summary
from tests import factories
from tests.contacts.caseload_helpers import add_contact
from tests.reports.test_excel import add_urine
from tests.reports.test_summary import add_breath, hold

YEAR = 2027
TODAY = date(2028, 1, 10)
NAMES = ("Kelly", "Dean", "Alfie", "Ashworth", "Nowak", "Maja", "Manager Mo")  # Mo: the author


@pytest.fixture
def family(team):
    case = factories.make_case(
        team,
        entered_on=date(2026, 11, 2),
        issued_on=date(2026, 10, 30),
        reference="FDAC-2026-0042",
        court_case_number="ZW26C00042",
    )
    kelly = factories.add_parent(case, "Kelly Ashworth")
    dean = factories.add_parent(case, "Dean Ashworth")
    dean.relationship_to_children = Relationship.FATHER
    factories.add_child(case, "Alfie Ashworth")
    db.session.commit()
    add_breath(kelly, date(2026, 12, 30))  # the year before: not in the export
    add_breath(kelly, date(YEAR, 3, 3))
    add_urine(kelly, date(YEAR, 3, 5), "200")  # cocaine positive, cannabis negative
    add_breath(kelly, date(YEAR, 3, 8), status=Status.MISSED)
    add_breath(dean, date(YEAR, 4, 6), "20")  # alcohol detected: positive
    add_contact(kelly, date(YEAR, 3, 4), at=time(14, 30))
    add_contact(kelly, date(YEAR, 3, 11), "did_not_attend")
    hold(case, date(YEAR, 3, 15), "Attend every test, Kelly")  # free text stays out
    return case, kelly, dean


@pytest.fixture
def others(team):
    """A case closed in the year, one closed the year before, one of another team."""
    closed = factories.make_case(team, entered_on=date(2026, 3, 2), reference="FDAC-2026-0050")
    _close(closed, date(YEAR, 2, 10), Outcome.REUNIFIED)
    factories.add_parent(closed, "Maja Nowak")
    gone = factories.make_case(team, entered_on=date(2025, 3, 2), reference="FDAC-2025-0051")
    _close(gone, date(2026, 12, 1), Outcome.FAMILY_OR_FRIENDS)
    elsewhere = factories.make_case(
        factories.make_team(), entered_on=date(2027, 1, 4), reference="FDAC-2027-0099"
    )
    add_breath(factories.add_parent(elsewhere, "Chantelle Nowak"), date(YEAR, 3, 3))
    return closed, gone, elsewhere


def _close(case, on: date, outcome: Outcome) -> None:
    case.phase_changes.append(
        PhaseChange(from_phase=case.phase, to_phase=Phase.CLOSED, changed_on=on)
    )
    case.phase, case.outcome = Phase.CLOSED, outcome
    db.session.commit()


def export(team, year: int = YEAR, today: date = TODAY):
    with tempfile.TemporaryFile() as out:
        written = programme.write_programme(
            out,
            team=team,
            year=year,
            today=today,
            author="Manager Mo",
            generated_at=datetime(2028, 1, 10, 9, 30, tzinfo=UTC),
        )
        out.seek(0)
        return load_workbook(BytesIO(out.read())), written


def rows(ws) -> list[tuple]:
    return list(ws.iter_rows(values_only=True))


def by_reference(ws) -> dict[str, tuple]:
    return {row[0]: row for row in rows(ws)[1:]}


def test_the_workbook_has_its_sheets_with_headers_and_frozen_header_rows(team, family):
    wb, _ = export(team)
    assert wb.sheetnames == ["Summary", "Cases", "Test results", "Contacts", "Hearings"]
    for name, columns in (
        ("Cases", programme.CASE_COLUMNS),
        ("Test results", programme.RESULT_COLUMNS),
        ("Contacts", programme.CONTACT_COLUMNS),
        ("Hearings", programme.HEARING_COLUMNS),
    ):
        ws = wb[name]
        assert rows(ws)[0] == tuple(header for header, _, _ in columns)
        assert ws.freeze_panes == "A2"
        assert ws.column_dimensions["A"].width == columns[0][1]


def test_the_year_of_one_case_row_by_row(team, family):
    wb, written = export(team)
    results = rows(wb["Test results"])[1:]
    # The breath of 30 December 2026 is not in the year; the urine has a row per substance.
    assert [(r[1], r[2].date(), r[3], r[4], r[8]) for r in results] == [
        ("Mother", date(YEAR, 3, 3), "Breath alcohol", "Alcohol", "Negative"),
        ("Mother", date(YEAR, 3, 5), "Urine (laboratory)", "Cocaine", "Positive"),
        ("Mother", date(YEAR, 3, 5), "Urine (laboratory)", "Cannabis (THC)", "Negative"),
        ("Mother", date(YEAR, 3, 8), "Breath alcohol", None, "Missed"),
        ("Father", date(YEAR, 4, 6), "Breath alcohol", "Alcohol", "Positive"),
    ]
    assert results[1][5:8] == (200, "ng/mL", 150)  # value, unit, the cut-off
    assert results[1][10] == "Positive"  # the test's overall result
    assert all(isinstance(r[2], datetime) for r in results)  # real Excel dates

    case = by_reference(wb["Cases"])["FDAC-2026-0042"]
    assert case[1:4] == ("ZW26C00042", "Riverside Borough Council", "Trial for change")
    assert case[4] == datetime(2026, 11, 2) and case[5] == datetime(2026, 10, 30)
    assert case[6] is None and case[7] is None  # not closed
    weeks = (date(YEAR, 12, 31) - date(2026, 10, 30)).days // 7
    assert case[8:12] == (weeks, 2, 4, 3)  # weeks, parents, tests, positive or not taken
    # Contacts attended, the target (two parents, the 52 weeks whose Thursday is in 2027, two
    # a week in the trial for change), reviews held.
    assert case[12:] == (1, 2 * 52 * 2, 1)

    contacts = rows(wb["Contacts"])[1:]
    assert [(c[1], c[2], c[4]) for c in contacts] == [
        ("Mother", datetime(YEAR, 3, 4, 14, 30), "Attended"),
        ("Mother", datetime(YEAR, 3, 11, 10, 0), "Did not attend"),
    ]
    hearing = rows(wb["Hearings"])[1]
    assert hearing[0:2] == ("FDAC-2026-0042", datetime(YEAR, 3, 15))
    assert hearing[4] == "Held"
    assert (written.cases, written.result_rows, written.contact_rows) == (1, 5, 2)


def test_cases_of_the_year_only_and_of_this_team_only(team, family, others):
    wb, _ = export(team)
    cases = by_reference(wb["Cases"])
    assert sorted(cases) == ["FDAC-2026-0042", "FDAC-2026-0050"]  # closed in the year: in
    closed = cases["FDAC-2026-0050"]
    assert closed[3] == "Closed" and closed[6] == datetime(YEAR, 2, 10)
    assert closed[7] == Outcome.REUNIFIED.label
    every_sheet = [row for ws in wb.worksheets for row in rows(ws)]
    assert not any("FDAC-2027-0099" in row or "FDAC-2025-0051" in row for row in every_sheet)


def test_no_name_of_anyone_in_the_family_anywhere(team, family, others):
    wb, _ = export(team)
    text = [
        str(cell)
        for ws in wb.worksheets
        for row in ws.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    ]
    assert text, "the workbook is empty"
    for name in NAMES:
        assert not [cell for cell in text if name in cell], name
    assert "Mother" in text and "Father" in text


def test_the_summary_figures_are_the_pure_functions_figures(team, family):
    case, kelly, dean = family
    wb, _ = export(team)
    summary = rows(wb["Summary"])
    header = summary.index(programme.MONTH_HEADERS)
    months = {
        row[0].date(): dict(zip(programme.MONTH_HEADERS, row, strict=True))
        for row in summary[header + 1 :][:12]
    }
    assert len(months) == 12 and min(months) == date(YEAR, 1, 1)

    # Tests by overall result: the trend summary the pages show, over March.
    march = [
        i
        for i in services.parent_testing(kelly).series
        if date(YEAR, 3, 1) <= i.sample.collected_on <= date(YEAR, 3, 31)
    ]
    expected = trend_summary(march, date(YEAR, 3, 31))
    row = months[date(YEAR, 3, 1)]
    assert row["Tests"] == expected.total == 3
    assert row["Positive or not taken"] == expected.counted_as_positive == 2
    for overall in Overall:
        assert row[overall.label] == expected.counts.get(overall, 0)
    assert row["Reviews held"] == 1 and months[date(YEAR, 4, 1)]["Positive"] == 1

    # Contacts against target: the compliance the case page uses, week by week.
    compliance = compliance_for_cases([case], date(YEAR, 3, 31), weeks=5)[case.id]
    march_weeks = [
        w
        for parent in (kelly, dean)
        for w in compliance[parent.id].weeks
        if w.complete and w.starts_on + timedelta(days=3) >= date(YEAR, 3, 1)
    ]
    assert row["Contacts attended"] == sum(w.attended for w in march_weeks) == 1
    assert row["Contact target"] == sum(w.target for w in march_weeks) > 0

    # Cases open in each month; one phase row.
    assert all(months[m]["Cases open"] == 1 for m in months)
    width = len(programme.PHASE_HEADERS)
    phase_header = [r[:width] for r in summary].index(programme.PHASE_HEADERS)
    phase = dict(zip(programme.PHASE_HEADERS, summary[phase_header + 1][:width], strict=True))
    assert (phase["Phase now"], phase["Cases"], phase["Tests"]) == ("Trial for change", 1, 4)
    assert phase["Positive or not taken"] == 3 and phase["Reviews held"] == 1
    assert ("Generated by", "MM") in [r[:2] for r in summary]  # initials, as anonymised


def test_the_writer_streams_chunks_of_cases_into_a_write_only_workbook(team, monkeypatch):
    """Memory, without timing: the workbook is write-only, the cases come from the database in
    chunks, and each chunk's rows are written before the next chunk is read."""
    for n in range(5):
        case = factories.make_case(team, entered_on=date(2026, 6, 1 + n))
        add_breath(factories.add_parent(case), date(YEAR, 3, 3))
    monkeypatch.setattr(programme_rows, "CASE_CHUNK", 2)
    seen, books, appended = [], [], []
    real_chunk, real_workbook = programme_rows.chunk, programme.Workbook
    real_append = programme._Sheet.append

    def spy_chunk(cases, *args):
        seen.append((len(cases), len(appended)))  # how many rows were written already
        return real_chunk(cases, *args)

    def spy_append(sheet, values):
        appended.append(values)
        real_append(sheet, values)

    def spy_workbook(**kwargs):
        books.append(real_workbook(**kwargs))
        return books[-1]

    monkeypatch.setattr(programme_rows, "chunk", spy_chunk)
    monkeypatch.setattr(programme, "Workbook", spy_workbook)
    monkeypatch.setattr(programme._Sheet, "append", spy_append)
    _, written = export(team)
    assert books[0].write_only
    # Two cases a chunk; each chunk's rows (a case row, a result row) written before the next.
    assert seen == [(2, 0), (2, 4), (1, 8)]
    assert written.result_rows == 5


def test_a_year_with_nothing_says_so(team):
    wb, written = export(team, year=2020, today=date(2021, 1, 5))
    assert written.rows == 0
    assert ("Nothing recorded in this period",) in [r[:1] for r in rows(wb["Summary"])]


# --- the page and the download ------------------------------------------------------------


def last_year() -> int:
    return london_today().year - 1


@pytest.fixture
def seeded(team):
    case = factories.make_case(team, entered_on=date(last_year(), 3, 2))
    add_breath(factories.add_parent(case), date(last_year(), 3, 4))
    return case


def test_a_manager_downloads_the_year_and_it_is_audited(team, seeded, signed_in):
    manager = signed_in("team_manager")
    page = manager.get("programme.index")
    assert page.h1.get_text(strip=True) == "Programme export for commissioners"
    offered = [o["value"] for o in page.select("#year option")]
    assert offered == [str(last_year() + 1), str(last_year())]
    response = manager.raw.get("/reports/programme/download", query_string={"year": last_year()})
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert f"{last_year()}.xlsx" in response.headers["Content-Disposition"]
    wb = load_workbook(BytesIO(response.data))
    response.close()  # closes the temporary file, as the WSGI server does
    assert seeded.reference in by_reference(wb["Cases"])
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export"))
    assert (event.table_name, event.record_id, event.case_id) == ("teams", str(team.id), None)
    assert event.actor_id == manager.user.id
    assert event.changes["year"] == [None, last_year()] and event.changes["anonymised"][1]


@pytest.mark.parametrize(
    ("year", "message"),
    [("", "Select a year"), ("1999", "Year must be one of"), ("next", "Year must be one of")],
)
def test_a_bad_year_is_named_and_nothing_is_exported(team, seeded, signed_in, year, message):
    from tests.conftest import error_summary

    manager = signed_in("team_manager")
    response = manager.raw.get("/reports/programme/download", query_string={"year": year})
    assert response.status_code == 400
    from bs4 import BeautifulSoup

    page = BeautifulSoup(response.text, "html.parser")
    assert error_summary(page)[0].startswith(message)
    assert page.select_one("#year-error")
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export")) is None


@pytest.mark.parametrize("role", ["practitioner", "judge", "admin"])
def test_only_a_team_manager_exports_the_programme(team, seeded, signed_in, role):
    who = signed_in(role)
    who.get("programme.index", _expected_status=403)
    response = who.raw.get("/reports/programme/download", query_string={"year": last_year()})
    assert response.status_code == 403
