"""Parallel edits of one record: every accepted change is in the final state or the history,
and every refused one got the message (on SQLite and on PostgreSQL alike)."""

import threading

from bs4 import BeautifulSoup
from flask import url_for
from sqlalchemy import select

from fdac.audit.models import AuditEvent
from fdac.cases import services
from fdac.cases.models import Case
from fdac.extensions import db
from fdac.versions import MESSAGE, StaleEdit
from tests import factories

EDITORS = 6


def _details(case, local_authority: str) -> dict:
    return {
        "reference": case.reference,
        "court_case_number": case.court_case_number,
        "local_authority": local_authority,
        "issued_on": ["29", "5", "2026"],
        "entered_on": ["1", "6", "2026"],
    }


def _hidden(html: bytes) -> dict:
    page = BeautifulSoup(html, "html.parser")
    return {
        field["name"]: field.get("value", "")
        for field in page.select("form[method=post] input[type=hidden]")
    }


def _audited_values(case_id: int) -> list[str]:
    """Every local authority the case's history says a save set, oldest first."""
    db.session.rollback()  # end the test's own read: see what the threads committed
    events = db.session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.table_name == "cases",
            AuditEvent.record_id == str(case_id),
            AuditEvent.action == "update",
        )
        .order_by(AuditEvent.id)
    )
    return [e.changes["local_authority"][1] for e in events if "local_authority" in e.changes]


def _run_together(work, count: int) -> list:
    """Run work(i) in `count` threads released at once; re-raise the first failure."""
    start = threading.Barrier(count)
    results: list = [None] * count
    failures: list = []

    def run(i):
        try:
            start.wait(timeout=30)
            results[i] = work(i)
        except BaseException as error:  # noqa: BLE001 (handed to the test's thread)
            failures.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    if failures:
        raise failures[0]
    return results


def test_parallel_form_posts_lose_no_accepted_change_and_refuse_the_rest_clearly(signed_in, team):
    case = factories.make_case(team, local_authority="Riverside Borough Council")
    url = url_for("cases.edit", reference=case.reference)
    editors = [signed_in("team_manager", name=f"Editor {i}") for i in range(EDITORS)]
    opened = [_hidden(editor.raw.get(url).data) for editor in editors]
    assert {form["version"] for form in opened} == {"1"}  # everyone opened version 1
    clients = [editor.raw._client for editor in editors]  # plain clients: no test context
    typed = [_details(case, f"Council {i}") for i in range(EDITORS)]  # read here, not in threads

    def edit(i):
        """Post this editor's change; when refused, re-apply it from the page shown, as a person
        would. Returns (accepted value, refusals seen, other answers)."""
        mine = f"Council {i}"
        form = opened[i]
        refusals, odd = 0, []
        for _ in range(EDITORS + 1):
            response = clients[i].post(url, data={**form, **typed[i]})
            if response.status_code == 302:
                return mine, refusals, odd
            page = BeautifulSoup(response.data, "html.parser")
            summary = page.select_one(".govuk-error-summary")
            if response.status_code != 200 or summary is None or MESSAGE not in summary.text:
                odd.append((response.status_code, response.data[:300]))
                return None, refusals, odd
            refusals += 1
            assert page.select_one("input[name=local_authority]")["value"] == mine  # kept
            form = {**form, "version": page.select_one("input[name=version]")["value"]}
        return None, refusals, odd

    results = _run_together(edit, EDITORS)

    assert [odd for _, _, odd in results] == [[]] * EDITORS  # no 500, no other answer
    accepted = [value for value, _, _ in results if value is not None]
    assert len(accepted) == EDITORS  # each re-applied after being refused, and then saved
    refusals = sum(count for _, count, _ in results)
    assert refusals >= 1  # they all opened version 1: at most one could save at once
    history = _audited_values(case.id)
    assert sorted(history) == sorted(accepted)  # every accepted change is in the history
    saved = db.session.get(Case, case.id)
    assert saved.local_authority == history[-1]  # and the last one is the final state
    assert saved.version == 1 + len(accepted)


def test_parallel_saves_racing_past_the_form_check_are_refused_by_the_database(app, team):
    """Each save read version 1 and passed the form check before any committed; the database's
    `WHERE version = 1` lets exactly one through and the others get StaleEdit, nothing saved."""
    case = factories.make_case(team, local_authority="Riverside Borough Council")
    case_id = case.id

    def save(i):
        with app.app_context():
            loaded = db.session.get(Case, case_id)
            details = {
                "reference": loaded.reference,
                "court_case_number": loaded.court_case_number,
                "local_authority": f"Council {i}",
                "issued_on": loaded.issued_on,
                "entered_on": loaded.entered_on,
            }
            based_on = loaded.version
            inner_barrier.wait(timeout=30)  # everyone has read version 1
            try:
                services.update_case_details(loaded, details, based_on=based_on)
            except StaleEdit as error:
                return ("refused", str(error), error.current_version)
            finally:
                db.session.remove()
            return ("accepted", f"Council {i}", None)

    inner_barrier = threading.Barrier(EDITORS)
    results = _run_together(save, EDITORS)

    accepted = [value for outcome, value, _ in results if outcome == "accepted"]
    refused = [r for r in results if r[0] == "refused"]
    assert len(accepted) == 1 and len(refused) == EDITORS - 1
    assert all(message == MESSAGE and current >= 2 for _, message, current in refused)
    assert _audited_values(case_id) == accepted
    saved = db.session.get(Case, case_id)
    assert (saved.local_authority, saved.version) == (accepted[0], 2)
