"""Team settings: default contact targets per phase, graduation criteria.

Team managers only (Action.MANAGE_TEAM_SETTINGS), always their own team's settings.
"""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from fdac.auth.access import Action
from fdac.auth.guards import requires
from fdac.extensions import db
from fdac.forms import show_field_error
from fdac.graduations.criteria import Criteria
from fdac.teams import services
from fdac.teams.forms import ContactTargetsForm, GraduationCriteriaForm
from fdac.teams.models import Team
from fdac.teams.services import TARGET_PHASES
from fdac.validation import FieldError, FieldErrors
from fdac.versions import StaleEdit, show_stale

bp = Blueprint("team", __name__, url_prefix="/team")


@bp.get("/settings")
@requires(Action.MANAGE_TEAM_SETTINGS)
def settings():
    team_id = current_user.team_id
    return render_template(
        "teams/settings.html",
        team=current_user.team,
        targets=services.contact_targets(team_id),
        criteria=services.graduation_criteria(team_id),
    )


@bp.route("/targets", methods=["GET", "POST"])
@requires(Action.MANAGE_TEAM_SETTINGS)
def targets():
    team_id = current_user.team_id
    team = db.session.get(Team, team_id)
    form = ContactTargetsForm()
    if request.method == "GET":
        for target in services.contact_targets(team_id):
            form[target.phase.value].data = target.per_week
        form.open_at(team)
    if form.validate_on_submit():
        try:
            based_on = services.check(team, form.based_on())
            changed = services.save_contact_targets(
                team_id,
                {phase: form[phase.value].data for phase in TARGET_PHASES},
                current_user,
                team=team,
            )
            services.commit(team, based_on)
        except FieldErrors as error:
            db.session.rollback()
            for each in error.errors:
                show_field_error(form, each)
        except StaleEdit as error:
            show_stale(form, error)
        else:
            flash("Contact targets saved" if changed else "No contact target was changed")
            return redirect(url_for("team.settings"))
    return render_template("teams/targets.html", form=form)


@bp.route("/criteria", methods=["GET", "POST"])
@requires(Action.MANAGE_TEAM_SETTINGS)
def criteria():
    team_id = current_user.team_id
    team = db.session.get(Team, team_id)
    form = GraduationCriteriaForm()
    if request.method == "GET":
        current = services.graduation_criteria(team_id).criteria
        form.required.data = [
            name
            for name in ("final_order_with_family", "trial_completed")
            if getattr(current, name)
        ]
        form.clean_weeks.data = current.clean_weeks
        form.open_at(team)
    if form.validate_on_submit():
        chosen = set(form.required.data or ())
        try:
            based_on = services.check(team, form.based_on())
            changed = services.save_graduation_criteria(
                team_id,
                Criteria(
                    final_order_with_family="final_order_with_family" in chosen,
                    trial_completed="trial_completed" in chosen,
                    clean_weeks=form.clean_weeks.data,
                ),
                current_user,
                team=team,
            )
            services.commit(team, based_on)
        except FieldError as error:
            db.session.rollback()
            show_field_error(form, error)
        except StaleEdit as error:
            show_stale(form, error)
        else:
            flash(
                "Graduation criteria saved"
                if changed
                else "The graduation criteria were not changed"
            )
            return redirect(url_for("team.settings"))
    return render_template("teams/criteria.html", form=form)
