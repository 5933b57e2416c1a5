"""The hearings calendar (week, month, list), a judge's list for a day, and iCalendar feeds."""

from flask import Blueprint, render_template

from fdac.auth.access import Action
from fdac.auth.guards import requires

bp = Blueprint("calendar", __name__, url_prefix="/calendar")


@bp.get("")
@requires(Action.VIEW_CALENDAR)
def index():
    return render_template("hearings/calendar/index.html")
