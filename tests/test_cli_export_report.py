"""`flask fdac export-report CASE_REF --from DATE --to DATE --format xlsx|pdf [--anonymise]
--out FILE`: the summary page's exports from the command line, the same file, audited."""

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from fdac.audit.models import AuditEvent
from fdac.dates import london_today
from fdac.extensions import db
from fdac.reports.summary import default_period
from tests.pdf import pdf_text
from tests.reports.test_anonymised_exports import (
    case_name_words,
    demo_like_family,
    names_in,
    workbook_strings,
)


def run(app, *args):
    return app.test_cli_runner().invoke(args=["fdac", "export-report", *args])


@pytest.fixture
def family(team):
    return demo_like_family(team)


def exports() -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export")))


def test_writes_an_anonymised_workbook_with_none_of_the_cases_names(app, family, tmp_path):
    case, _ = family
    out = tmp_path / "summary.xlsx"

    result = run(
        app,
        "FDAC-2027-0011",
        "--from", "2027-03-02", "--to", "2027-03-15",
        "--format", "xlsx", "--anonymise", "--out", str(out),
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert "Wrote the anonymised xlsx summary of FDAC-2027-0011" in result.output
    wb = load_workbook(BytesIO(out.read_bytes()))
    assert wb.sheetnames == ["Summary", "Test results", "Contacts", "Hearings", "Results by week"]
    summary = {row[0]: row[1] for row in wb["Summary"].iter_rows(values_only=True) if row[0]}
    assert summary["Case number"] == "ZW27C00011"
    assert summary["Period from"].date() == date(2027, 3, 2)
    assert "The mother" in summary and "The father" in summary
    dates = [row[0] for row in wb["Test results"].iter_rows(min_row=2, values_only=True)]
    # breath, urine (cocaine, cannabis), the missed breath test
    assert [d.date() for d in dates] == [date(2027, 3, d) for d in (3, 5, 5, 8)]
    assert names_in(workbook_strings(out.read_bytes()), case_name_words(case)) == []
    [event] = exports()
    assert event.actor_id is None and "command line" in event.actor_label
    assert event.changes["anonymised"] == [None, True]
    assert event.changes["format"] == [None, "xlsx"]


def test_writes_a_named_pdf_by_case_number(app, family, tmp_path):
    case, _ = family
    out = tmp_path / "summary.pdf"

    result = run(
        app,
        "zw27c00011",
        "--from", "2027-03-02", "--to", "2027-03-15",
        "--format", "pdf", "--out", str(out), "--author", "Priya Shah",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    text = pdf_text(out.read_bytes(), tmp_path)
    assert "ZW27C00011" in text and "2 March 2027 to 15 March 2027" in text
    assert "Prepared by Priya Shah on" in text
    assert "Kelly Ashworth" in text
    assert exports()[0].changes["anonymised"] == [None, False]


def test_an_anonymised_pdf_from_the_command_line(app, family, tmp_path):
    case, _ = family
    out = tmp_path / "anonymised.pdf"

    result = run(
        app, case.reference, "--from", "2027-03-02", "--to", "2027-03-15",
        "--format", "pdf", "--anonymise", "--out", str(out),
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    text = pdf_text(out.read_bytes(), tmp_path)
    assert "The mother to attend every test" in text
    assert names_in(text, case_name_words(case)) == []


def test_the_period_defaults_as_the_page_does(app, family, tmp_path):
    case, _ = family
    out = tmp_path / "summary.xlsx"

    result = run(app, case.reference, "--format", "xlsx", "--out", str(out))

    assert result.exit_code == 0, result.output
    first, last = default_period(case, london_today())
    [event] = exports()
    assert event.changes["from"] == [None, first.isoformat()]
    assert event.changes["to"] == [None, last.isoformat()]
    assert out.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["NO-SUCH-CASE"], "no case with the reference or case number NO-SUCH-CASE"),
        (["FDAC-2027-0011", "--from", "3/3/2027"], "--from must be a real date"),
        (["FDAC-2027-0011", "--to", "2027-02-30"], "--to must be a real date"),
        (
            ["FDAC-2027-0011", "--from", "2027-03-15", "--to", "2027-03-02"],
            "--to (2027-03-02) must be the same as or after --from (2027-03-15)",
        ),
    ],
)
def test_clear_errors_and_no_file(app, family, tmp_path, args, message):
    out = tmp_path / "summary.xlsx"

    result = run(app, *args, "--format", "xlsx", "--out", str(out))

    assert result.exit_code == 2
    assert f"Error: {message}" in result.output
    assert not out.exists()
    assert exports() == []


def test_a_format_other_than_xlsx_or_pdf_is_refused(app, family, tmp_path):
    result = run(app, "FDAC-2027-0011", "--format", "docx", "--out", str(tmp_path / "x.docx"))
    assert result.exit_code == 2 and "'xlsx', 'pdf'" in result.output


def test_a_name_that_slips_through_writes_no_file(app, family, tmp_path, monkeypatch):
    from fdac.reports.anonymise import Pseudonyms

    original = Pseudonyms.apply
    monkeypatch.setattr(
        Pseudonyms, "apply", lambda self, text: original(self, text).replace("PS", "Priya")
    )
    out = tmp_path / "summary.xlsx"

    result = run(
        app, "FDAC-2027-0011", "--from", "2027-03-02", "--to", "2027-03-15",
        "--format", "xlsx", "--anonymise", "--out", str(out),
    )  # fmt: skip

    assert result.exit_code == 2
    assert "would still name Priya" in result.output
    assert not out.exists()
    assert exports() == []
