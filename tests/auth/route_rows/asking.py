"""Asking a route as a browser would, and reading the answers against the table."""

from bs4 import BeautifulSoup
from flask import url_for


def ask(client, method: str, url: str):
    """GET the url, or POST it with a valid form token and nothing else; the response, closed."""
    if method == "GET":
        response = client.raw.get(url)
    else:
        # Every page a person lands on carries the session's token (the sign-out form has it).
        response = client.raw.post(url, data={"csrf_token": csrf_token(client)})
    response.get_data()  # read a download before closing it
    response.close()
    return response


def csrf_token(client) -> str:
    landing = client.raw.get(url_for("auth.sign_in"), follow_redirects=True)
    field = BeautifulSoup(landing.data, "html.parser").select_one("input[name=csrf_token]")
    return field["value"]


def check_page_basics(page) -> None:
    """Every page has a real title and one h1, and no id twice (labels and links rely on ids)."""
    assert page.title.get_text(strip=True).endswith("– FDAC Manager")
    assert len(page.select("h1")) == 1
    ids = [tag["id"] for tag in page.select("[id]")]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def unlike_the_table(wrong: dict, whose: str) -> str:
    """The assertion message: each (role, kind) whose answer is not the table's."""
    lines = [
        f"{role:>12} on {kind:<11} table {want}, {whose} {got}"
        for (role, kind), (want, got) in sorted(wrong.items())
    ]
    return "answers unlike the table's:\n" + "\n".join(lines)
