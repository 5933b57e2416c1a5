"""The judge's progress summary, and one case's Excel export, for a family with 18 months of
three tests a week (the first family of the history).

Summary, timed on the same case as medians after warm-ups:
- fdac.reports.summary.progress_summary for the default fortnight (what the page computes);
- the whole GET of reports.summary through the Flask test client, signed in as a practitioner
  of the team (the server's time), for the fortnight and for the whole 18 months;
- the bare floor for each: Core selects of the rows the summary reads: the case's test results
  outer-joined to their readings up to the end of the period (the summary's "to date" figures
  read every earlier result), and the case's contacts and hearings of the period.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask import Flask, url_for
from sqlalchemy import select

from benchmarks.history import History
from benchmarks.timing import Subject, Timing, compare
from benchmarks.trend_page import _isolated, _signed_in_client
from fdac.cases.models import Case
from fdac.contacts.models import Contact
from fdac.dates import LONDON
from fdac.extensions import db
from fdac.reports import summary as progress
from hearings.models import Hearing
from testing_results.models import SubstanceResult, TestResult


@dataclass(frozen=True)
class SummaryFigures:
    summary: Timing  # progress_summary, the fortnight
    get: Timing  # GET reports.summary, the fortnight
    bare: Timing  # the fortnight's rows
    get_all: Timing  # GET reports.summary, 18 months
    bare_all: Timing
    rows: int  # what the fortnight's bare selects return
    rows_all: int
    html_bytes: int


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), LONDON).astimezone(UTC)


def bare_selects(case_id: int, first: date, last: date) -> int:
    results, readings = TestResult.__table__, SubstanceResult.__table__
    contacts, hearings = Contact.__table__, Hearing.__table__
    with db.engine.connect() as conn:
        found = conn.execute(
            select(results, readings)
            .select_from(results.outerjoin(readings, readings.c.result_id == results.c.id))
            .where(results.c.case_id == case_id, results.c.collected_on <= last)
            .order_by(results.c.collected_on, results.c.id, readings.c.id)
        ).all()
        found += conn.execute(
            select(contacts).where(
                contacts.c.case_id == case_id,
                contacts.c.at >= _midnight(first),
                contacts.c.at < _midnight(last + timedelta(days=1)),
            )
        ).all()
        found += conn.execute(
            select(hearings).where(
                hearings.c.case_id == case_id, hearings.c.day.between(first, last)
            )
        ).all()
    return len(found)


def run(app: Flask, history: History, *, runs: int, warmups: int) -> SummaryFigures:
    family = history.families[0]
    today = history.today
    case = db.session.scalar(select(Case).where(Case.reference == family.reference))
    first, last = progress.default_period(case, today)
    first_all = family.entered_on
    with app.test_request_context():
        path = url_for("reports.summary", reference=family.reference)
        path_all = url_for(
            "reports.summary",
            reference=family.reference,
            **{"from": first_all.isoformat(), "to": today.isoformat()},
        )
    client = _isolated(lambda: _signed_in_client(app, history.viewer_email))
    pages, loaded = [], {}

    def enter():  # untimed: the view has loaded the case before it asks for the summary
        db.session.remove()
        loaded["case"] = db.session.scalar(select(Case).where(Case.reference == family.reference))

    def summary():
        progress.progress_summary(loaded["case"], first, last, today)

    def getter(where: str):
        def get():
            response = _isolated(lambda: client.get(where))
            if response.status_code != 200:
                raise RuntimeError(f"GET {where}: {response.status_code}")
            pages.append(len(response.data))

        return get

    timings = compare(
        {
            "summary": Subject(summary, prepare=enter, tidy=db.session.remove),
            "get": Subject(getter(path)),
            "bare": Subject(lambda: bare_selects(case.id, first, last)),
            "get_all": Subject(getter(path_all)),
            "bare_all": Subject(lambda: bare_selects(case.id, first_all, today)),
        },
        runs=runs,
        warmups=warmups,
    )
    return SummaryFigures(
        timings["summary"],
        timings["get"],
        timings["bare"],
        timings["get_all"],
        timings["bare_all"],
        bare_selects(case.id, first, last),
        bare_selects(case.id, first_all, today),
        pages[0],
    )
