"""The graduates' group: graduates, ceremonies, certificates, support, mentors; outcomes."""

from flask import Blueprint, render_template

from fdac.auth.access import Action
from fdac.auth.guards import requires

bp = Blueprint("graduates", __name__, url_prefix="/graduates")


@bp.get("")
@requires(Action.MANAGE_GRADUATES)
def index():
    return render_template("graduations/graduates.html")
