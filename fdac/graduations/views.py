"""A case's graduation: criteria met and not per parent, confirming a graduation."""

from flask import Blueprint, render_template

from fdac.auth.access import Action
from fdac.auth.guards import case_for

bp = Blueprint("graduations", __name__, url_prefix="/cases/<reference>/graduation")


@bp.get("")
def index(reference: str):
    case = case_for(reference, Action.VIEW_GRADUATION)
    return render_template("graduations/index.html", case=case)
