"""A case's graduation: criteria met and not per parent, confirming a graduation.

Confirming is a manager's decision in two steps: the form, then a page that shows what will be
recorded (and which criteria are not met) before it is.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from fdac.auth.access import Action, can
from fdac.auth.guards import case_for
from fdac.dates import london_today
from fdac.forms import show_field_error
from fdac.graduations import services
from fdac.graduations.forms import ConfirmGraduationForm
from fdac.validation import FieldError

bp = Blueprint("graduations", __name__, url_prefix="/cases/<reference>/graduation")


@bp.get("")
def index(reference: str):
    case = case_for(reference, Action.VIEW_GRADUATION)
    return render_template(
        "graduations/index.html",
        case=case,
        rows=services.graduation_page(case, london_today()),
        can_confirm=can(current_user, Action.CONFIRM_GRADUATION, case),
        can_manage_graduates=can(current_user, Action.MANAGE_GRADUATES),
    )


@bp.route("/<int:parent_id>/confirm", methods=["GET", "POST"])
def confirm(reference: str, parent_id: int):
    case = case_for(reference, Action.CONFIRM_GRADUATION)
    today = london_today()
    row = next((r for r in services.graduation_page(case, today) if r.parent.id == parent_id), None)
    if row is None:
        abort(404)  # not a parent of this case
    if row.graduation is not None:
        flash(f"{row.parent.name}'s graduation has already been confirmed")
        return redirect(url_for("graduations.index", reference=case.reference))
    form = ConfirmGraduationForm()
    confirmed = form.confirmed.data == "yes"
    if not request.form.get("change") and form.validate_on_submit():
        note = form.note.data or ""
        try:
            if confirmed:
                services.confirm_graduation(
                    case, row.parent, form.graduated_on.data, note,
                    checks=row.checks, by=current_user, today=today,
                )  # fmt: skip
            else:
                services.check_graduation(
                    case, row.parent, form.graduated_on.data, note, row.checks, today
                )
        except FieldError as error:
            show_field_error(form, error)
        else:
            if confirmed:
                flash(f"{row.parent.name}'s graduation confirmed")
                return redirect(url_for("graduations.index", reference=case.reference))
            return render_template("graduations/check.html", case=case, row=row, form=form)
    # The form, first or again: with its errors, or back from the check page to change it.
    form.confirmed.data = ""
    return render_template("graduations/confirm.html", case=case, row=row, form=form)
