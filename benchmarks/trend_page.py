"""Trend page: one parent with 18 months of three tests a week.

Three things are timed on the same parent: trend.parent_page() (what the page computes),
the whole GET of results.parent through the Flask test client, signed in as a practitioner
(routing, session, access check, rendering: the server's time), and the bare floor, one Core
select of that parent's test_results joined to their substance_results.
"""

import contextvars
import re
from dataclasses import dataclass

from flask import Flask, request, url_for
from sqlalchemy import func, select

from benchmarks.history import History
from benchmarks.timing import Subject, Timing, compare
from fdac.cases.models import Case, Parent
from fdac.extensions import db
from testing_results import trend
from testing_results.models import SubstanceResult, TestResult
from tests import factories
from tests.auth import second_step


@dataclass(frozen=True)
class TrendFigures:
    page: Timing  # trend.parent_page()
    get: Timing  # GET results.parent
    bare: Timing
    results: int
    readings: int
    html_bytes: int


def _isolated(fn):
    """Run `fn` in a fresh context, as a request in production runs: its own app context and
    database session, not the benchmark's (the test client reuses an app context it finds)."""
    return contextvars.Context().run(fn)


def _post_form(client, url: str, data: dict):
    """Post `data` to the form at `url` with the page's own CSRF token."""
    page = client.get(url).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token"[^>]*value="([^"]+)"', page
    )
    return client.post(url, data={"csrf_token": token.group(1) if token else "", **data})


def _signed_in_client(app: Flask, email: str):
    """A client signed in as a person is: the password, then the code their app shows (the
    test users' known secret, tests/auth/second_step.py)."""
    client = app.test_client()
    with app.test_request_context():
        sign_in, second_step_url = url_for("auth.sign_in"), url_for("auth.two_factor_code")
    with app.app_context():
        second_step.ready(email)
    response = _post_form(client, sign_in, {"email": email, "password": factories.PASSWORD})
    if response.status_code == 302 and response.location == second_step_url:
        with app.app_context():
            code = second_step.next_code(email)
        response = _post_form(client, second_step_url, {"code": code})
    if response.status_code != 302 or response.location.startswith(sign_in):
        raise RuntimeError(f"Signing in as {email} failed: {response.status_code}")
    return client


def bare_select(parent_id: int) -> list:
    results, readings = TestResult.__table__, SubstanceResult.__table__
    query = (
        select(results, readings)
        .select_from(results.outerjoin(readings, readings.c.result_id == results.c.id))
        .where(results.c.parent_id == parent_id)
        .order_by(results.c.collected_on, results.c.id, readings.c.id)
    )
    with db.engine.connect() as conn:
        return conn.execute(query).all()


def run(app: Flask, history: History, *, runs: int, warmups: int) -> TrendFigures:
    family = history.families[0]
    parent_id = family.parents[0][0]
    with app.test_request_context():
        path = url_for("results.parent", reference=family.reference, parent_id=parent_id)
    client = _isolated(lambda: _signed_in_client(app, history.viewer_email))
    pages, loaded = [], {}

    def enter_request():  # untimed: the view has loaded these before it calls parent_page
        loaded["context"] = context = app.test_request_context(path)
        context.push()
        db.session.remove()  # a fresh session, as each request has
        loaded["case"] = db.session.scalar(select(Case).where(Case.reference == family.reference))
        loaded["parent"] = db.session.get(Parent, parent_id)

    def page():
        trend.parent_page(loaded["case"], loaded["parent"], request.args, today=history.today)

    def leave_request():
        db.session.remove()
        loaded.pop("context").pop()

    def get():
        response = _isolated(lambda: client.get(path))
        if response.status_code != 200:
            raise RuntimeError(f"GET {path}: {response.status_code}")
        pages.append(len(response.data))

    timings = compare(
        {
            "page": Subject(page, prepare=enter_request, tidy=leave_request),
            "get": Subject(get),
            "bare": Subject(lambda: bare_select(parent_id)),
        },
        runs=runs,
        warmups=warmups,
    )
    results = db.session.scalar(
        select(func.count()).select_from(TestResult).where(TestResult.parent_id == parent_id)
    )
    readings = db.session.scalar(
        select(func.count())
        .select_from(SubstanceResult)
        .join(TestResult)
        .where(TestResult.parent_id == parent_id)
    )
    return TrendFigures(
        timings["page"], timings["get"], timings["bare"], results, readings, pages[-1]
    )
