"""A graduate's certificate: an HTML page (templates/graduations/certificate.html) printed to a
PDF by WeasyPrint, A4 landscape, for the ceremony.

A discreet footer names the court, the case number, the judge, the date printed and
"Page 1 of 1". Nothing is fetched from outside: the page's CSS is inline, and the only URLs
WeasyPrint may follow are files under the app's static folder (anything else is refused).
"""

import re
from datetime import date

from flask import current_app, render_template

from fdac.dates import london_today
from fdac.graduations.models import Graduation
from fdac.printing import pdf_from_html


def certificate_html(graduation: Graduation, printed_on: date | None = None) -> str:
    """The certificate's page; its footer names the court, the case number, the judge and the
    day it was printed (`printed_on`, today in London unless given)."""
    case = graduation.case
    return render_template(
        "graduations/certificate.html",
        graduation=graduation,
        parent=graduation.parent,
        case=case,
        team=case.team,
        judge=case.judge,
        printed_on=printed_on or london_today(),
    )


def certificate_pdf(graduation: Graduation, printed_on: date | None = None) -> bytes:
    return pdf_from_html(certificate_html(graduation, printed_on), current_app.static_folder)


def filename(graduation: Graduation) -> str:
    """'graduation-certificate-kelly-ashworth.pdf': readable, safe in any file system."""
    slug = re.sub(r"[^a-z0-9]+", "-", graduation.parent.name.lower()).strip("-") or "graduate"
    return f"graduation-certificate-{slug}.pdf"
