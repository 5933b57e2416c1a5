"""The judge's progress summary as a PDF: the page's own HTML (templates/reports/summary.html,
through its print variant summary_print.html) printed by WeasyPrint.

Each page carries the court, the case number, the judge, the period, the author, the date and
"Page N of M" (CSS @page margin boxes); charts are the page's inline SVG. Nothing is fetched
from outside the static folder (fdac.printing).
"""

from fdac.printing import pdf_from_html
from fdac.reports.anonymise import Pseudonyms
from fdac.reports.summary import ProgressSummary

TEMPLATE = "reports/summary_print.html"


def summary_html(
    summary: ProgressSummary, author: str, *, pseudonyms: Pseudonyms | None = None
) -> str:
    """The print page's HTML; with `pseudonyms`, every name in it is their stand-in (the
    templates' `private` and `person_name` filters)."""
    # Flask only to render the page's template, so this module imports without an app.
    from flask import render_template

    return render_template(
        TEMPLATE,
        case=summary.case,
        report=summary,
        today=summary.today,
        author=author,
        pseudonyms=pseudonyms,
        can_export=False,  # no links on paper
        errors={},
        values={"from": summary.first.isoformat(), "to": summary.last.isoformat()},
    )


def summary_pdf(
    summary: ProgressSummary,
    author: str,
    static_folder: str,
    *,
    pseudonyms: Pseudonyms | None = None,
) -> bytes:
    return pdf_from_html(summary_html(summary, author, pseudonyms=pseudonyms), static_folder)
