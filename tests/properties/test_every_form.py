"""Every form the app shows, fed hostile input by Hypothesis: no 500, and a refused form saves
nothing.

The forms are found, not listed: a team manager and an admin crawl the demo data from the home
page (the links a person can follow), and every POST form on those pages is collected, one of
each kind (the same action route with the same fields). Each is then submitted with values
drawn from its own fields: very long text, control characters, right-to-left and emoji names,
impossible dates, huge and negative numbers, options that are not offered, tampered hidden
fields; files that are empty, binary named .csv, or an Excel workbook of formulas. The CSRF
token is the page's own, so the form's validation is what answers.

A refused submission re-shows the form with an error summary: then no table has changed
(nothing half-saved). Derandomised: the same examples every run.
"""

import contextvars
from collections import Counter
from io import BytesIO
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from fdac import demo
from fdac.dates import london_today
from fdac.extensions import db
from tests.conftest import PageClient

MAX_PAGES = 160  # pages crawled per person: every kind of page of the demo, with room
EXAMPLES = 6  # submissions per form
# Not crawled: sign-out ends the crawl's session; downloads and feeds are not pages.
SKIP_PATHS = ("/sign-out", "/assets/", "/api/")
SKIP_SUFFIXES = (".pdf", ".xlsx", ".ics", ".csv")
# Tables written on a refused POST by design.
WRITTEN_ANYWAY = {"audit_events"}

NASTY_TEXT = [
    "",
    " ",
    "x" * 20_000,
    "Robert'); DROP TABLE cases;--",
    "\x00",
    "nul\x00in the middle",
    "\x1b[31mred\x1b[0m",
    "line\r\nbreak",
    "مريم الحسيني",  # right to left
    "\u202eevil\u202c",  # a right-to-left override
    "👩‍👧‍👦 Kelly 🧪",
    '=HYPERLINK("http://evil.example","x")',
    "<script>alert(1)</script>",
    "0",
    "-1",
    "99999999999999999999999999",
    "1e309",
    "NaN",
    "31",
    "2",
    "30",
    "0000",
    "2027",
    "9999",
    "29 02 2027",
    "25:61",
    "🙂" * 300,
]
TEXT = st.one_of(st.sampled_from(NASTY_TEXT), st.text(max_size=60))


def _workbook_with_formulas() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["case_reference", "parent_name", "substance", "value"])
    sheet.append(["=1+1", '=HYPERLINK("http://evil.example","x")', "=A2*10", "=1/0"])
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


# (content, file name): empty, binary named .csv, a CSV, an Excel file with formulas.
HOSTILE_FILES = [
    (b"", "results.csv"),
    (b"\x00\x01\x02\xff binary", "results.csv"),
    (b"a,b\n1,2\n", "results.csv"),
    (_workbook_with_formulas(), "results.xlsx"),
    (b"PK\x03\x04 not really a workbook", "results.xlsx"),
]


def _page(client, url):
    response = contextvars.Context().run(client.get, url)
    db.session.rollback()
    return response


PER_KIND = 2  # pages crawled of one kind (one case's page stands for every case's)


def _kind(url: str) -> tuple:
    """A page's kind: its path's shape and its query's names (calendars page on for ever)."""
    parts = urlsplit(url)
    names = tuple(sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair}))
    return _shape(parts.path), names


def _crawl(client, start: str, searched: set) -> dict:
    """Every POST form on the pages reachable from `start`: {(action path, fields): url}.
    Every GET form met on the way (a search, a filter) is asked at once, one of each kind,
    noted in `searched`."""
    seen, queue, forms, kinds = set(), [start], {}, Counter()
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen or kinds[_kind(url)] >= PER_KIND:
            continue
        seen.add(url)
        kinds[_kind(url)] += 1
        response = _page(client, url)
        if response.status_code in (301, 302, 303) and response.location:
            queue.append(urlsplit(urljoin(url, response.location)).path)  # a home elsewhere
            continue
        if response.status_code != 200 or "text/html" not in response.content_type:
            continue
        page = BeautifulSoup(response.data, "html.parser")
        for link in page.select("a[href]"):
            target = urljoin(url, link["href"]).split("#")[0]
            parts = urlsplit(target)
            if parts.netloc not in ("", "localhost") or any(p in parts.path for p in SKIP_PATHS):
                continue
            if parts.path.endswith(SKIP_SUFFIXES) or link.has_attr("download"):
                continue
            queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
        for form in page.select("form"):
            if form.get("method", "get").lower() != "post":
                _search(client, url, form, searched)
                continue
            action = urlsplit(urljoin(url, form.get("action") or url)).path
            if any(p in action for p in SKIP_PATHS):
                continue
            names = tuple(sorted({f["name"] for f in _fields(form)}))
            forms.setdefault((_shape(action), names), url)
    return forms


def _search(client, url: str, form, searched: set) -> None:
    """A GET form (a search, a filter) asked with every hostile text in each of its boxes."""
    action = urlsplit(urljoin(url, form.get("action") or url)).path
    boxes = [f["name"] for f in form.select("input[name]") if f.get("type", "text") == "text"]
    boxes += [f["name"] for f in form.select("select[name]")]
    key = (_shape(action), tuple(boxes))
    if key in searched:
        return
    searched.add(key)
    for name in boxes:
        for text in NASTY_TEXT:
            response = contextvars.Context().run(
                client.get, action, query_string={name: text[:2000]}
            )
            db.session.rollback()
            assert response.status_code < 500, (action, name, text)


def _shape(path: str) -> str:
    """/cases/FDAC-2026-0003/contacts/12/edit -> /cases/*/contacts/*/edit: one form of a kind."""
    return "/".join("*" if any(c.isdigit() for c in part) else part for part in path.split("/"))


def _fields(form):
    return [f for f in form.select("input[name], select[name], textarea[name]")]


def _strategy(form) -> st.SearchStrategy:
    """A submission of `form`: each field's own kind of value, or something hostile."""
    parts = {}
    for field in _fields(form):
        name = field["name"]
        if name == "csrf_token":
            continue
        kind = field.get("type", "text").lower() if field.name == "input" else field.name
        if kind == "file":
            parts[name] = st.sampled_from(HOSTILE_FILES)
        elif kind in ("checkbox", "radio"):
            values = [f.get("value", "y") for f in form.select(f'input[name="{name}"]')]
            parts[name] = st.one_of(st.sampled_from(values), TEXT)
        elif kind == "select":
            values = [o.get("value", o.get_text()) for o in field.select("option")]
            parts[name] = st.one_of(st.sampled_from(values or [""]), TEXT)
        elif kind == "submit":
            continue
        else:
            kept = field.get("value", field.get_text() if kind == "textarea" else "")
            parts[name] = st.one_of(st.just(kept), TEXT)
    return st.fixed_dictionaries(parts)


def _counts() -> dict[str, int]:
    db.session.rollback()
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
        if table.name not in WRITTEN_ANYWAY
    }


def _submit(client, url, action, values):
    page = BeautifulSoup(_page(client, url).data, "html.parser")
    token = page.select_one("input[name=csrf_token]")
    data = {"csrf_token": token["value"] if token else ""}
    for name, value in values.items():
        data[name] = (BytesIO(value[0]), value[1]) if isinstance(value, tuple) else value
    response = contextvars.Context().run(client.post, action, data=data)
    db.session.rollback()
    return response


def _submit_hostile_values(client, url: str, form) -> int:
    """Submit `form` (on the page at `url`) EXAMPLES times; the number of submissions."""
    action = urlsplit(urljoin(url, form.get("action") or url)).path
    tried = 0

    @given(values=_strategy(form))
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,  # the same examples every run
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    def submit(values):
        nonlocal tried
        before = _counts()
        response = _submit(client, url, action, values)
        tried += 1
        assert response.status_code < 500, (action, values)
        if response.status_code != 302:
            shown = BeautifulSoup(response.data, "html.parser")
            if shown.select_one(".govuk-error-summary"):  # refused: nothing half-saved
                assert _counts() == before, (action, values)

    submit()
    return tried


def _sign_in(app, email):
    """A test client signed in as `email`, through the sign-in and code pages."""
    client = app.test_client()
    PageClient(client).sign_in(email, demo.DEMO_PASSWORD)
    return client


@pytest.mark.parametrize("email", ["manager@demo.fdac.example", "admin@demo.fdac.example"])
def test_every_form_survives_hostile_input_and_a_refused_one_saves_nothing(app, email):
    demo.load(today=london_today())
    db.session.commit()
    client = _sign_in(app, email)
    searched: set = set()
    forms = _crawl(client, "/", searched)
    assert len(forms) >= (10 if email.startswith("manager") else 3)
    tried = 0

    for (action_shape, _names), url in sorted(forms.items()):
        page = BeautifulSoup(_page(client, url).data, "html.parser")
        matching = [
            f
            for f in page.select("form")
            if f.get("method", "").lower() == "post"
            and _shape(urlsplit(urljoin(url, f.get("action") or url)).path) == action_shape
        ]
        if not matching:  # the page changed under an earlier submission (a case closed)
            continue
        form = matching[0]
        tried += _submit_hostile_values(client, url, form)
    print(f"\n{email}: {len(forms)} forms, {tried} submissions; searches: {len(searched)}")


@pytest.mark.parametrize(("content", "filename"), HOSTILE_FILES)
def test_the_lab_import_refuses_every_hostile_file_clearly_and_saves_nothing(
    signed_in, content, filename
):
    worker = signed_in("practitioner")
    page = BeautifulSoup(worker.raw.get("/results/import").data, "html.parser")
    token = page.select_one("input[name=csrf_token]")["value"]
    before = _counts()

    response = worker.raw.post(
        "/results/import",
        data={"csrf_token": token, "file": (BytesIO(content), filename)},
        content_type="multipart/form-data",
    )

    assert response.status_code == 200
    shown = BeautifulSoup(response.data, "html.parser")
    assert shown.select_one(".govuk-error-summary"), shown.get_text()[:500]
    assert _counts() == before
