"""A practitioner's caseload: their cases, and those below their contact target this week."""

from flask import Blueprint, render_template

from fdac.auth.access import Action
from fdac.auth.guards import requires

bp = Blueprint("caseload", __name__, url_prefix="/caseload")


@bp.get("")
@requires(Action.VIEW_CASELOAD)
def index():
    return render_template("contacts/caseload.html")
