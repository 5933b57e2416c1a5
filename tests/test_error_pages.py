"""A save that loses a race to another save, where no form can show the other change: a clear
409 page (or JSON under /api/), rolled back, never a 500."""

from sqlalchemy.orm.exc import StaleDataError

from fdac.errors import CHANGED_MEANWHILE


def _handler(app):
    return app.error_handler_spec[None][None][StaleDataError]


def test_a_lost_race_is_a_409_page_saying_nothing_was_saved(app):
    with app.test_request_context("/court/sittings/1/retire", method="POST"):
        body, status = _handler(app)(StaleDataError("expected to update 1 row; 0 were matched"))
    assert status == 409
    assert "Someone else changed this at the same moment" in body
    assert "Nothing you entered on the last page was saved" in body


def test_under_the_api_a_lost_race_is_a_json_409(app):
    with app.test_request_context("/api/v1/cases/FDAC-1/contacts", method="POST"):
        response, status = _handler(app)(StaleDataError("expected to update 1 row"))
    assert status == 409
    assert response.get_json() == {"errors": [{"field": None, "message": CHANGED_MEANWHILE}]}
