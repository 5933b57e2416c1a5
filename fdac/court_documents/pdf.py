"""A court document's version as a page and as a PDF, from the same HTML.

The page (templates/court_documents/version.html) and its print variant (version_print.html,
printed by WeasyPrint through fdac.printing) get the same context from `context()`. An issued
version shows what was frozen at issue (its summary HTML, its header); a draft shows the live
progress summary of its period, the judge's own (fdac.reports.summary), marked DRAFT.
"""

from datetime import date

from markupsafe import Markup

from fdac.court_documents import services
from fdac.court_documents.models import CourtDocument, DocumentVersion
from fdac.court_documents.summary_section import summary_section
from fdac.dates import uk_date
from fdac.printing import pdf_from_html
from fdac.reports.anonymise import Pseudonyms
from fdac.reports.anonymise_html import anonymise_html, html_text
from fdac.reports.summary import progress_summary

TEMPLATE = "court_documents/version_print.html"


def live_summary(version: DocumentVersion, today: date) -> Markup:
    report = progress_summary(version.document.case, version.period_from, version.period_to, today)
    return summary_section(report)


def shown_summary(version: DocumentVersion, today: date) -> Markup:
    """Frozen at issue; live before."""
    if version.frozen_summary is not None:
        return Markup(version.frozen_summary)  # noqa: S704 - our own template's output, stored
    return live_summary(version, today)


def context(document: CourtDocument, version: DocumentVersion, today: date, **extra) -> dict:
    head = services.header(version)
    return {
        "case": document.case,
        "document": document,
        "version": version,
        "head": head,
        "dated": head.get("issued_on") or uk_date(today),
        "summary_html": shown_summary(version, today),
        **extra,
    }


def version_html(document: CourtDocument, version: DocumentVersion, today: date) -> str:
    from flask import render_template  # only to render the page's template

    return render_template(TEMPLATE, **context(document, version, today, printing=True))


def version_pdf(
    document: CourtDocument,
    version: DocumentVersion,
    today: date,
    static_folder: str,
    *,
    names: Pseudonyms | None = None,
) -> bytes:
    """The version printed; with `names`, anonymised: every name in the printed page (the
    header, the author's words, the summary, frozen or live) replaced by its stand-in, and
    checked (AnonymisationError, nothing printed, when one is left)."""
    html = version_html(document, version, today)
    if names is not None:
        html = anonymise_html(html, names)
        names.check(html_text(html))
    return pdf_from_html(html, static_folder)


def download_name(document: CourtDocument, version: DocumentVersion, anonymised: bool) -> str:
    """'FDAC-2027-0007-review-report-2027-03-15-v2.pdf': references name no one."""
    kind = document.kind.value.replace("_", "-")
    day = document.hearing.day.isoformat() if document.hearing else version.period_to.isoformat()
    draft = "" if version.is_issued else "-DRAFT"
    anonymous = "-anonymised" if anonymised else ""
    return f"{document.case.reference}-{kind}-{day}-v{version.number}{draft}{anonymous}.pdf"
