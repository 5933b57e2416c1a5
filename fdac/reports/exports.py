"""One case's progress summary exported as a file: the Excel workbook or the PDF, named or
anonymised, audited. The views (fdac.reports.views) and `flask fdac export-report`
(fdac.cli) both call export_summary, so a download and a command give the same file.

An anonymised export is checked before anything leaves: every string of the workbook (read
back as Excel would) or the PDF's HTML text must carry no name of the case
(Pseudonyms.check); otherwise AnonymisationError, no file and no audit row (nothing left).
"""

from dataclasses import dataclass
from datetime import date
from io import BytesIO

from openpyxl import load_workbook

from fdac.audit.exports import record_export
from fdac.cases.models import Case
from fdac.printing import pdf_from_html
from fdac.reports import excel, pdf, records
from fdac.reports.anonymise import Pseudonyms
from fdac.reports.anonymise_html import html_text
from fdac.reports.case_pseudonyms import pseudonyms_for_case
from fdac.reports.summary import progress_summary

# The author of an export nobody signed (the command line without --author): not a person,
# so not one of the names anonymisation replaces.
SYSTEM_AUTHOR = "FDAC Manager"
FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


@dataclass(frozen=True)
class Export:
    content: bytes
    filename: str
    mimetype: str
    anonymised: bool


def filename(case: Case, first: date, last: date, format: str, anonymised: bool) -> str:
    """'FDAC-2027-0007-summary-2027-03-02-to-2027-03-15.pdf'; an anonymised one says so
    (references and case numbers name no one)."""
    kind = "summary-anonymised" if anonymised else "summary"
    return f"{case.reference}-{kind}-{first.isoformat()}-to-{last.isoformat()}.{format}"


def wants_anonymised(args) -> bool:
    """Whether a download's query string (?anonymise=1) asks for an anonymised copy."""
    return args.get("anonymise", "").strip().lower() in ("1", "true", "yes", "on")


def workbook_text(content: bytes) -> str:
    """Every string in the workbook as Excel reads it: cells, sheet names, document
    properties, chart titles."""
    wb = load_workbook(BytesIO(content))
    props = wb.properties
    parts = [props.title, props.creator, props.lastModifiedBy, props.subject, *wb.sheetnames]
    parts = [part for part in parts if part]
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            parts += [value for value in row if isinstance(value, str)]
    return "\n".join(parts)


def export_summary(
    case: Case,
    first: date,
    last: date,
    today: date,
    format: str,
    *,
    author: str,
    anonymise: bool,
    static_folder: str,
) -> Export:
    """The summary of `case` from `first` to `last` as `format` ("xlsx" or "pdf"), written by
    `author`, anonymised when asked; its audit row is added to the session (the caller
    commits). Raises AnonymisationError, with nothing audited, when a name would remain."""
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r}")
    report = progress_summary(case, first, last, today)
    people = [author] if author != SYSTEM_AUTHOR else []
    names: Pseudonyms | None = pseudonyms_for_case(case, people) if anonymise else None
    if format == "xlsx":
        content = excel.case_workbook(
            report,
            records.period_contacts(case, first, last),
            records.period_hearings(case, first, last),
            author=author,
            pseudonyms=names,
        )
        if names:
            names.check(workbook_text(content))
    else:
        html = pdf.summary_html(report, author, pseudonyms=names)
        if names:
            names.check(html_text(html))
        content = pdf_from_html(html, static_folder)
    name = filename(case, first, last, format, anonymise)
    if names:
        names.check(name)
    record_export(case, format, first, last, anonymised=anonymise)
    return Export(content, name, FORMATS[format], anonymise)
