"""Error pages in the service's own style."""

from flask import Flask, jsonify, render_template
from sqlalchemy.orm.exc import StaleDataError

from fdac.extensions import db

# A save that lost a race to another save of a versioned record (fdac/versions.py) where no
# form was there to show the other change: a clear "try again", never a 500.
CHANGED_MEANWHILE = "Someone else changed this at the same moment. Nothing you sent was saved"


def _changed_meanwhile(_error: StaleDataError):
    from fdac.api.errors import is_api_request

    db.session.rollback()
    if is_api_request():
        return jsonify({"errors": [{"field": None, "message": CHANGED_MEANWHILE}]}), 409
    return render_template("errors/409.html", message=CHANGED_MEANWHILE), 409


def init_app(app: Flask) -> None:
    for status in (400, 403, 404, 413, 500):
        app.register_error_handler(
            status, lambda error, status=status: (render_template(f"errors/{status}.html"), status)
        )
    app.register_error_handler(StaleDataError, _changed_meanwhile)
