"""A graduate's certificate: an HTML page (templates/graduations/certificate.html) printed to a
PDF by WeasyPrint, A4 landscape, for the ceremony.

Nothing is fetched from outside: the page's CSS is inline, and the only URLs WeasyPrint may
follow are files under the app's static folder (anything else is refused).
"""

import re
from pathlib import Path

from flask import current_app, render_template
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from fdac.graduations.models import Graduation


class _StaticOnly(URLFetcher):
    """Fetches files under the static folder, and nothing else (no network, no other file)."""

    def __init__(self, static_folder: str):
        super().__init__(allowed_protocols={"file"})
        self._root = Path(static_folder).resolve().as_uri() + "/"

    def fetch(self, url, headers=None):
        if not url.startswith(self._root):
            raise ValueError(f"The certificate fetches nothing from outside: {url}")
        return super().fetch(url, headers)


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
    static = current_app.static_folder
    return HTML(
        string=certificate_html(graduation),
        base_url=Path(static).resolve().as_uri() + "/",
        url_fetcher=_StaticOnly(static),
    ).write_pdf()


def filename(graduation: Graduation) -> str:
    """'graduation-certificate-kelly-ashworth.pdf': readable, safe in any file system."""
    slug = re.sub(r"[^a-z0-9]+", "-", graduation.parent.name.lower()).strip("-") or "graduate"
    return f"graduation-certificate-{slug}.pdf"
