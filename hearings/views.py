"""A case's hearings: plan reviews, book, move, cancel, record what happened; the 26-week clock."""

from flask import Blueprint, render_template

from fdac.auth.access import Action
from fdac.auth.guards import case_for

bp = Blueprint("hearings", __name__, url_prefix="/cases/<reference>/hearings")


@bp.get("")
def index(reference: str):
    case = case_for(reference, Action.VIEW_HEARINGS)
    return render_template("hearings/case/index.html", case=case)
