"""A graduate's certificate: an HTML page (templates/graduations/certificate.html) printed to a
PDF by WeasyPrint, A4 landscape, for the ceremony.

Nothing is fetched from outside: the page's CSS is inline, and the only URLs WeasyPrint may
follow are files under the app's static folder (anything else is refused).
"""

import re

from flask import current_app, render_template

from fdac.graduations.models import Graduation
from fdac.printing import pdf_from_html


def certificate_html(graduation: Graduation) -> str:
    case = graduation.case
    return render_template(
        "graduations/certificate.html",
        graduation=graduation,
        parent=graduation.parent,
        team=case.team,
        judge=case.judge,
    )


def certificate_pdf(graduation: Graduation) -> bytes:
    return pdf_from_html(certificate_html(graduation), current_app.static_folder)


def filename(graduation: Graduation) -> str:
    """'graduation-certificate-kelly-ashworth.pdf': readable, safe in any file system."""
    slug = re.sub(r"[^a-z0-9]+", "-", graduation.parent.name.lower()).strip("-") or "graduate"
    return f"graduation-certificate-{slug}.pdf"
