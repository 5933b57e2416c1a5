"""Team settings: default contact targets per phase, graduation criteria."""

from flask import Blueprint, render_template

from fdac.auth.access import Action
from fdac.auth.guards import requires

bp = Blueprint("team", __name__, url_prefix="/team")


@bp.get("/settings")
@requires(Action.MANAGE_TEAM_SETTINGS)
def settings():
    return render_template("teams/settings.html")
