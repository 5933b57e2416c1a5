"""HTML printed to PDF by WeasyPrint, fetching nothing from outside.

The only URLs WeasyPrint may follow are files under the app's static folder (stylesheets,
images): anything else, a web address or another file, is refused. Used by the graduation
certificate and the court reports.
"""

from pathlib import Path

from weasyprint import HTML
from weasyprint.urls import URLFetcher


class StaticOnly(URLFetcher):
    """Fetches files under the static folder, and nothing else (no network, no other file)."""

    def __init__(self, static_folder: str):
        super().__init__(allowed_protocols={"file"})
        self._root = static_root(static_folder)

    def fetch(self, url, headers=None):
        if not url.startswith(self._root):
            raise ValueError(f"A printed page fetches nothing from outside: {url}")
        return super().fetch(url, headers)


def static_root(static_folder: str) -> str:
    """The static folder as a file URL ending in '/': the base of relative links."""
    return Path(static_folder).resolve().as_uri() + "/"


def pdf_from_html(html: str, static_folder: str) -> bytes:
    """`html` as PDF bytes; its relative links are read from `static_folder`."""
    return HTML(
        string=html, base_url=static_root(static_folder), url_fetcher=StaticOnly(static_folder)
    ).write_pdf()
