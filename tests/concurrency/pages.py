"""Open an edit form as a browser does and keep its hidden version; submit it later."""

from bs4 import BeautifulSoup
from flask import url_for

from fdac.versions import MESSAGE


def open_form(client, endpoint, **values) -> dict:
    """The form's hidden fields (the CSRF token, the version it was opened at)."""
    page = client.get(endpoint, **values)
    return {
        field["name"]: field.get("value", "")
        for field in page.select("form[method=post] input[type=hidden]")
    }


def submit(client, endpoint, opened: dict, data: dict, **values):
    """Post `data` with the hidden fields of a form opened earlier: (status, page or None)."""
    response = client.raw.post(url_for(endpoint, **values), data={**opened, **data})
    if response.status_code == 302:
        return 302, None
    return response.status_code, BeautifulSoup(response.data, "html.parser")


def refused_as_stale(page) -> bool:
    summary = page.select_one(".govuk-error-summary")
    return summary is not None and MESSAGE in summary.get_text()


def other_change_text(page) -> str:
    panel = page.select_one("#version")
    return panel.get_text(" ", strip=True) if panel else ""


def hidden_version(page) -> str:
    return page.select_one("input[name=version]")["value"]
