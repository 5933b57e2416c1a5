"""The court set-up pages: sittings and slots, judges' absences, closure days, bank holidays.

Team managers only (Action.MANAGE_COURT), always within their own team: another team's
sitting, absence or closure is a 404.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from fdac.auth.access import Action
from fdac.auth.guards import requires
from fdac.dates import london_today, uk_date
from fdac.forms import ConfirmForm, show_field_error
from fdac.validation import FieldError, FieldErrors
from hearings import court_services as services
from hearings.court_forms import AbsenceForm, ClosureForm, SittingForm
from hearings.court_rules import coming_bank_holidays
from hearings.replanning import Replanned

bp = Blueprint("court", __name__, url_prefix="/court")


def _show_errors(form, error: FieldError | FieldErrors) -> None:
    for each in error.errors if isinstance(error, FieldErrors) else [error]:
        show_field_error(form, each)


def _flash_done(done: str, replanned: Replanned) -> None:
    # One message: what was saved, then what it did to the reviews booked.
    flash(". ".join([done, *replanned.sentences()]))


def _number(value: str) -> int | None:
    return int(value) if value.isdigit() else None


def _found(thing):
    if thing is None:
        abort(404)  # another team's, reached by editing the URL
    return thing


@bp.get("")
@requires(Action.MANAGE_COURT)
def index():
    team_id = current_user.team_id
    today = london_today()
    show_past = request.args.get("past") == "1"
    sittings = services.sittings(team_id)
    absences = services.absences(team_id, today, include_past=show_past)
    return render_template(
        "hearings/court/index.html",
        team=current_user.team,
        active_sittings=[s for s in sittings if s.active],
        retired_sittings=[s for s in sittings if not s.active],
        judges=services.team_judges(team_id),
        absences_by_judge={
            judge_id: [a for a in absences if a.judge_id == judge_id]
            for judge_id in {a.judge_id for a in absences}
        },
        closures=services.closures(team_id, today, include_past=show_past),
        bank_holidays=coming_bank_holidays(today),
        show_past=show_past,
        has_past=services.has_past(team_id, today),
        today=today,
    )


def _sitting_page(sitting):
    form = SittingForm()
    judges = services.team_judges(current_user.team_id, active_only=True)
    form.set_judges(judges)
    if request.method == "GET" and sitting is not None:
        form.weekday.data = str(sitting.weekday)
        form.starts_at.data = sitting.starts_at
        form.slot_minutes.data = sitting.slot_minutes
        form.slots.data = sitting.slots
        form.judge_id.data = str(sitting.judge_id)
    if form.validate_on_submit():
        try:
            saved, replanned = services.save_sitting(
                current_user.team_id,
                sitting,
                weekday=_number(form.weekday.data),
                starts_at=form.starts_at.data,
                slot_minutes=form.slot_minutes.data,
                slots=form.slots.data,
                judge_id=_number(form.judge_id.data),
                today=london_today(),
            )
        except (FieldError, FieldErrors) as error:
            _show_errors(form, error)
        else:
            what = "added" if sitting is None else "changed"
            _flash_done(f"{saved.weekday_name} sitting {what}", replanned)
            return redirect(url_for("court.index"))
    return render_template(
        "hearings/court/sitting.html", form=form, sitting=sitting, has_judges=bool(judges)
    )


@bp.route("/sittings/new", methods=["GET", "POST"])
@requires(Action.MANAGE_COURT)
def new_sitting():
    return _sitting_page(None)


@bp.route("/sittings/<int:sitting_id>/edit", methods=["GET", "POST"])
@requires(Action.MANAGE_COURT)
def edit_sitting(sitting_id: int):
    sitting = _found(services.team_sitting(current_user.team_id, sitting_id))
    if not sitting.active:
        abort(404)  # a retired sitting is kept for the hearings that point at it, not changed
    return _sitting_page(sitting)


@bp.route("/sittings/<int:sitting_id>/retire", methods=["GET", "POST"])
@requires(Action.MANAGE_COURT)
def retire_sitting(sitting_id: int):
    sitting = _found(services.team_sitting(current_user.team_id, sitting_id))
    if not sitting.active:
        abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        replanned = services.retire_sitting(sitting, london_today())
        _flash_done(f"{sitting.weekday_name} sitting retired", replanned)
        return redirect(url_for("court.index"))
    return render_template("hearings/court/retire_sitting.html", form=form, sitting=sitting)


@bp.route("/absences/new", methods=["GET", "POST"])
@requires(Action.MANAGE_COURT)
def new_absence():
    form = AbsenceForm()
    judges = services.team_judges(current_user.team_id, active_only=True)
    form.set_judges(judges)
    if request.method == "GET":
        form.judge_id.data = request.args.get("judge", "")
    if form.validate_on_submit():
        try:
            absence, replanned = services.add_absence(
                current_user.team_id,
                judge_id=_number(form.judge_id.data),
                first_day=form.first_day.data,
                last_day=form.last_day.data,
                reason=form.reason.data or "",
                today=london_today(),
            )
        except (FieldError, FieldErrors) as error:
            _show_errors(form, error)
        else:
            _flash_done(f"Absence added for {absence.judge.name}", replanned)
            return redirect(url_for("court.index"))
    return render_template("hearings/court/absence.html", form=form, has_judges=bool(judges))


@bp.route("/absences/<int:absence_id>/remove", methods=["GET", "POST"])
@requires(Action.MANAGE_COURT)
def remove_absence(absence_id: int):
    absence = _found(services.team_absence(current_user.team_id, absence_id))
    form = ConfirmForm()
    if form.validate_on_submit():
        name = absence.judge.name
        services.remove_absence(absence)
        flash(f"Absence removed for {name}")
        return redirect(url_for("court.index"))
    return render_template("hearings/court/remove_absence.html", form=form, absence=absence)


@bp.route("/closures/new", methods=["GET", "POST"])
@requires(Action.MANAGE_COURT)
def new_closure():
    form = ClosureForm()
    if form.validate_on_submit():
        try:
            closure, replanned = services.add_closure(
                current_user.team_id,
                day=form.day.data,
                reason=form.reason.data,
                today=london_today(),
            )
        except FieldError as error:
            show_field_error(form, error)
        else:
            _flash_done(f"Court closed on {uk_date(closure.day)}", replanned)
            return redirect(url_for("court.index"))
    return render_template("hearings/court/closure.html", form=form)


@bp.route("/closures/<int:closure_id>/remove", methods=["GET", "POST"])
@requires(Action.MANAGE_COURT)
def remove_closure(closure_id: int):
    closure = _found(services.team_closure(current_user.team_id, closure_id))
    form = ConfirmForm()
    if form.validate_on_submit():
        day = closure.day
        services.remove_closure(closure)
        flash(f"Closure on {uk_date(day)} removed")
        return redirect(url_for("court.index"))
    return render_template("hearings/court/remove_closure.html", form=form, closure=closure)
