"""The court set-up pages: sittings and slots, judges' absences, closure days, bank holidays."""

from flask import Blueprint, render_template

from fdac.auth.access import Action
from fdac.auth.guards import requires

bp = Blueprint("court", __name__, url_prefix="/court")


@bp.get("")
@requires(Action.MANAGE_COURT)
def index():
    return render_template("hearings/court/index.html")
