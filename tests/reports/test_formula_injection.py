"""Text that begins like a formula never becomes one in a workbook the app writes (OWASP
"CSV injection"): it is written as text with a single quote in front. Numbers and dates stay
numbers and dates. Decision 0030."""

import tempfile
from datetime import UTC, date, datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook

from fdac.extensions import db
from fdac.reports import cells, programme
from tests import factories
from tests.reports.test_excel import PERIOD, add_urine, download, workbook
from tests.reports.test_summary import add_breath, hold

LINK = '=HYPERLINK("http://evil.example","x")'


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        (LINK, "'" + LINK),
        ("+SUM(1,2)", "'+SUM(1,2)"),
        ("-2+3", "'-2+3"),
        ("@SUM(1,2)", "'@SUM(1,2)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("Kelly Ashworth", "Kelly Ashworth"),
        ("Attend every test = 7 a week", "Attend every test = 7 a week"),
        ("", ""),
    ],
)
def test_text_that_begins_like_a_formula_gets_a_quote_in_front(typed, written):
    assert cells.text(typed) == written
    assert cells.value(typed) == written


@pytest.mark.parametrize("kept", [-3, -0.5, 0, 12, None, date(2027, 3, 3), True])
def test_numbers_dates_and_blanks_are_kept_as_they_are(kept):
    assert cells.value(kept) is kept


def _all_cells(wb):
    return [cell for ws in wb.worksheets for row in ws.iter_rows() for cell in row]


def _assert_no_formula_anywhere(wb):
    assert [c.coordinate for c in _all_cells(wb) if c.data_type == "f"] == []


def _cell_with(wb, value):
    found = [c for c in _all_cells(wb) if c.value == value]
    assert found, f"no cell holds {value!r}"
    return found[0]


def test_a_hyperlink_typed_as_goals_is_text_in_the_case_workbook(team, signed_in):
    judge = factories.make_user("judge", team=team, name="HHJ Patel")
    case = factories.make_case(
        team, judge_id=judge.id, entered_on=date(2027, 1, 4), issued_on=date(2027, 1, 1)
    )
    kelly = factories.add_parent(case, "@Kelly Ashworth")
    add_breath(kelly, date(2027, 3, 3))
    add_urine(kelly, date(2027, 3, 5), "200")
    hold(case, date(2027, 3, 1), LINK)  # the last review's goals, on the Summary sheet
    moved = factories.add_hearing(case, date(2027, 3, 9), "irh", planned_for=date(2027, 3, 8))
    moved.move_reason = "+44 20 7946 0000 asked for it"
    db.session.commit()

    wb = workbook(download(signed_in(judge), case, **PERIOD))

    _assert_no_formula_anywhere(wb)
    goals = _cell_with(wb, "'" + LINK)
    assert goals.data_type == "s"
    assert goals.parent.title == "Summary"
    assert _cell_with(wb, "'+44 20 7946 0000 asked for it").data_type == "s"
    assert _cell_with(wb, "'@Kelly Ashworth").parent.title == "Test results"
    results = wb["Test results"]
    assert results["A2"].is_date  # dates stay dates
    values = [row[4] for row in results.iter_rows(min_row=2, values_only=True)]
    assert 200 in values  # numbers stay numbers


def test_a_hyperlink_as_a_local_authority_is_text_in_the_programme_export():
    team = factories.make_team(name="-Riverside FDAC")
    team.court_name = "=1+1"
    case = factories.make_case(team, entered_on=date(2026, 6, 1), local_authority=LINK)
    add_breath(factories.add_parent(case), date(2026, 7, 1))
    db.session.commit()

    with tempfile.TemporaryFile() as out:
        programme.write_programme(
            out,
            team=team,
            year=2026,
            today=date(2026, 11, 22),
            author="Manager Mo",
            generated_at=datetime(2026, 11, 22, 9, 30, tzinfo=UTC),
        )
        out.seek(0)
        wb = load_workbook(BytesIO(out.read()))

    _assert_no_formula_anywhere(wb)
    cases = wb["Cases"]
    assert cases["C2"].value == "'" + LINK
    assert cases["C2"].data_type == "s"
    assert cases["E2"].is_date
    summary = {row[0]: row[1] for row in wb["Summary"].iter_rows(values_only=True) if row}
    assert summary["Team"] == "'-Riverside FDAC"
    assert summary["Court"] == "'=1+1"
    assert isinstance(summary["Year"], int)
