"""A practitioner's caseload: their cases, and those below their contact target this week.

A team manager sees the whole team's open cases, with a filter by keyworker.
"""

from flask import Blueprint, render_template, request
from flask_login import current_user

from fdac.auth.access import Action, visible_cases
from fdac.auth.guards import requires
from fdac.auth.roles import Role
from fdac.cases import services as case_services
from fdac.contacts.caseload import NOT_ALLOCATED, caseload
from fdac.dates import london_today
from fdac.query_args import whole_number

bp = Blueprint("caseload", __name__, url_prefix="/caseload")


def _keyworker_filter(keyworkers) -> int | str | None:
    value = request.args.get("keyworker", "")
    if value == NOT_ALLOCATED:
        return NOT_ALLOCATED
    if (number := whole_number(value)) in {person.id for person in keyworkers}:
        return number
    return None


@bp.get("")
@requires(Action.VIEW_CASELOAD)
def index():
    today = london_today()
    whole_team = current_user.role is Role.TEAM_MANAGER
    if whole_team:
        keyworkers = case_services.team_people(current_user.team_id, Role.PRACTITIONER)
        chosen = _keyworker_filter(keyworkers)
    else:
        keyworkers, chosen = [], current_user.id  # a practitioner's own cases
    return render_template(
        "contacts/caseload.html",
        whole_team=whole_team,
        keyworkers=keyworkers,
        chosen=chosen,
        not_allocated=NOT_ALLOCATED,
        caseload=caseload(visible_cases(current_user), today, keyworker=chosen),
        today=today,
    )
