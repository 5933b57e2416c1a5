"""Reading test results through the pages and the API is in the audit trail (the calls to
fdac.audit.events.record_view in testing_results/views.py and fdac/api/test_results.py)."""

import json
from datetime import date

from sqlalchemy import select

from fdac.api.tokens import create_token
from fdac.audit.models import AuditEvent
from fdac.extensions import db
from tests import factories
from tests.api.conftest import ApiClient


def _views() -> list[AuditEvent]:
    db.session.commit()
    return db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "view").order_by(AuditEvent.id)
    ).all()


def _family(team):
    case = factories.make_case(team, entered_on=date(2026, 6, 1))
    parent = factories.add_parent(case)
    return case, parent, factories.add_peth(parent, value="87.5", collected_on=date(2026, 9, 1))


def test_a_worker_reading_a_parents_results_and_one_result_is_recorded(signed_in, team):
    case, parent, result = _family(team)
    worker = signed_in("practitioner")
    worker.get("results.parent", reference=case.reference, parent_id=parent.id)
    worker.get("results.result", reference=case.reference, parent_id=parent.id, result_id=result.id)
    trend, one = _views()
    assert (trend.actor_id, trend.case_id, trend.record_id) == (
        worker.user.id,
        case.id,
        f"parent:{parent.id}",
    )
    assert (one.actor_id, one.record_id) == (worker.user.id, str(result.id))
    assert all("87.5" not in json.dumps(view.changes) for view in (trend, one))


def test_a_refused_reader_leaves_no_view_row(signed_in, team):
    case, parent, _ = _family(team)
    outsider = signed_in(factories.make_user("practitioner", team=factories.make_team()))
    outsider.get(
        "results.parent", _expected_status=404, reference=case.reference, parent_id=parent.id
    )
    assert _views() == []


def test_reading_results_through_the_api_is_recorded(app, team):
    case, _, _ = _family(team)
    user = factories.make_user("practitioner", team=team)
    made = create_token(user, "Test token", None)
    db.session.commit()
    reader = ApiClient(app.test_client(), made.secret)
    answer = reader.get(f"/api/v1/cases/{case.reference}/test-results")
    assert answer.status_code == 200, answer.get_json()
    (view,) = _views()
    assert (view.actor_id, view.case_id) == (user.id, case.id)
    assert view.record_id == f"case:{case.id}"
    assert view.changes == {"via": [None, "api"]}


def test_the_case_history_says_who_viewed_test_results(signed_in, team):
    case, parent, _ = _family(team)
    manager = signed_in("team_manager")
    manager.get("results.parent", reference=case.reference, parent_id=parent.id)
    text = manager.get("cases.history", reference=case.reference).get_text()
    assert "Viewed test results" in text and "Viewd" not in text
