"""Reading test results leaves a trace: who read which, and when, never the values."""

import json
import threading

from sqlalchemy import select

from fdac.audit import events
from fdac.audit.models import AuditEvent
from fdac.extensions import db
from tests import factories


def _views() -> list[AuditEvent]:
    db.session.commit()
    return db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "view").order_by(AuditEvent.id)
    ).all()


def test_a_view_of_one_result_names_the_result_parent_and_case_not_its_values(team):
    case = factories.make_case(team)
    parent = factories.add_parent(case)
    result = factories.add_peth(parent, value="123.4")
    events.record_view(case, parent, result)
    (view,) = _views()
    assert (view.table_name, view.record_id) == ("test_results", str(result.id))
    assert view.case_id == case.id
    assert view.changes == {
        "via": [None, "page"],
        "parent_id": [None, parent.id],
        "result_id": [None, result.id],
    }
    assert "123.4" not in json.dumps(view.changes)
    assert view.at is not None and view.actor_label


def test_a_view_of_a_parents_results_and_of_a_cases_results(team):
    case = factories.make_case(team)
    parent = factories.add_parent(case)
    events.record_view(case, parent)
    events.record_view(case, via="api")
    by_parent, by_case = _views()
    assert by_parent.record_id == f"parent:{parent.id}"
    assert by_parent.changes == {"via": [None, "page"], "parent_id": [None, parent.id]}
    assert by_case.record_id == f"case:{case.id}"
    assert by_case.changes == {"via": [None, "api"]}
    assert {by_parent.case_id, by_case.case_id} == {case.id}


def test_who_viewed_is_the_person_acting(app, team):
    from fdac.audit import recorder

    case = factories.make_case(team)
    judge = factories.make_user("judge", team=team)
    original = recorder._actor_source
    recorder.set_actor_source(lambda: (judge.id, judge.name))
    try:
        events.record_view(case)
    finally:
        recorder.set_actor_source(original)
    (view,) = _views()
    assert (view.actor_id, view.actor_label) == (judge.id, judge.name)


def test_a_view_is_recorded_even_when_another_writer_committed_since_the_page_read(app, team):
    """A page reads in a deferred SQLite transaction; the audit row must not need to upgrade
    that transaction's lock after someone else has written (SQLite refuses that at once)."""
    case = factories.make_case(team)
    case_id = case.id
    db.session.commit()
    assert db.session.get(type(case), case_id) is not None  # the page's read: a snapshot

    def someone_else_writes():
        with app.app_context():
            events.record("export", "cases", case_id, case_id, {"format": "pdf"})
            db.session.commit()
            db.session.remove()

    writer = threading.Thread(target=someone_else_writes)
    writer.start()
    writer.join()
    events.record_view(case)
    assert len(_views()) == 1
