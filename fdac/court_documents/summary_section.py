"""The progress summary as it appears in a court document: the judge's own summary page's
sections (templates/reports/summary.html, from "Summary at a glance" on), rendered from
fdac.reports.summary. Nothing is computed here; at issue this HTML is stored, so the issued
document never changes when the record does.
"""

from markupsafe import Markup

from fdac.reports.summary import ProgressSummary

TEMPLATE = "reports/summary.html"
START = '<h2 class="govuk-heading-m" id="at-a-glance">'
END = "</main>"  # the page's main content ends with the summary's last section


def summary_section(summary: ProgressSummary) -> Markup:
    """The summary page's sections for `summary` (without its title, period form and links)."""
    from flask import render_template  # only to render the page's template

    html = render_template(
        TEMPLATE,
        case=summary.case,
        report=summary,
        today=summary.today,
        errors={},
        values={"from": summary.first.isoformat(), "to": summary.last.isoformat()},
        can_export=False,
    )
    start = html.find(START)
    end = html.find(END, start)
    if start < 0 or end < 0:
        raise RuntimeError(f"{TEMPLATE} no longer has its 'Summary at a glance' heading")
    return Markup(html[start:end].strip())  # noqa: S704 - our own template's output
