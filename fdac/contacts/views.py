"""A case's contacts: record, correct, list; compliance; the case's own target."""

from flask import Blueprint, render_template

from fdac.auth.access import Action
from fdac.auth.guards import case_for

bp = Blueprint("contacts", __name__, url_prefix="/cases/<reference>/contacts")


@bp.get("")
def index(reference: str):
    case = case_for(reference, Action.VIEW_CONTACTS)
    return render_template("contacts/index.html", case=case)
