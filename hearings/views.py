"""A case's hearings: plan reviews, book, move, cancel, record what happened; the 26-week clock.

Thin: each view checks access through case_for (can()), parses its form, calls one service and
redirects (post/redirect/get). The services commit, or raise a FieldError and save nothing.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from fdac.auth.access import Action, can
from fdac.auth.guards import case_for
from fdac.dates import london_today
from fdac.forms import show_field_error
from fdac.validation import FieldError
from fdac.versions import StaleEdit, show_stale
from hearings import booking, court_services, forms, outcomes, review_plans, services
from hearings.kinds import KINDS, HearingKind

bp = Blueprint("hearings", __name__, url_prefix="/cases/<reference>/hearings")


def _hearing(reference: str, hearing_id: int, action: Action):
    case = case_for(reference, action)
    hearing = services.hearing_of(case, hearing_id)
    if hearing is None:
        abort(404)  # another case's hearing, reached by editing the address
    return case, hearing


def _to_index(case):
    return redirect(url_for("hearings.index", reference=case.reference))


def _to_hearing(case, hearing):
    return redirect(url_for("hearings.show", reference=case.reference, hearing_id=hearing.id))


def _refused(case, hearing, heading: str, why: str):
    """A page saying why this cannot be done, with the way back (not an error: a state)."""
    return render_template(
        "hearings/case/refused.html", case=case, hearing=hearing, heading=heading, why=why
    )


@bp.get("")
def index(reference: str):
    case = case_for(reference, Action.VIEW_HEARINGS)
    return render_template(
        "hearings/case/index.html",
        case=case,
        page=services.hearings_page(case, london_today()),
        can_plan=can(current_user, Action.PLAN_HEARINGS, case),
        can_extend=can(current_user, Action.EXTEND_PROCEEDINGS, case),
    )


@bp.route("/plan", methods=["GET", "POST"])
def plan(reference: str):
    case = case_for(reference, Action.PLAN_HEARINGS)
    sittings = review_plans.judge_sittings(case)
    form = forms.PlanReviewsForm()
    form.set_sittings(sittings)
    if request.method == "GET":
        first, sitting_id = review_plans.plan_defaults(case, sittings)
        form.first_nlr_on.data = first
        form.sitting_id.data = str(sitting_id) if sitting_id else None
        form.horizon.data = 12
    if form.validate_on_submit():
        try:
            result = review_plans.plan_case_reviews(
                case,
                form.first_nlr_on.data,
                int(form.sitting_id.data),
                form.horizon.data,
                by=current_user,
                today=london_today(),
            )
        except FieldError as error:
            show_field_error(form, error)
        else:
            flash(review_plans.plan_summary(result))
            return _to_index(case)
    return render_template("hearings/case/plan.html", case=case, form=form, sittings=sittings)


def _when(form, duration_minutes=None) -> booking.When:
    return booking.When(
        day=form.day.data,
        starts_at=form.starts_at.data,
        judge_id=int(form.judge_id.data) if form.judge_id.data else None,
        duration_minutes=duration_minutes,
    )


@bp.route("/new", methods=["GET", "POST"])
def book(reference: str):
    case = case_for(reference, Action.PLAN_HEARINGS)
    form = forms.BookHearingForm()
    form.set_judges(court_services.team_judges(case.team_id, active_only=True))
    if request.method == "GET":
        kind = request.args.get("kind", "")
        form.kind.data = kind if kind in {k.value for k in HearingKind} else None
        form.judge_id.data = str(case.judge_id) if case.judge_id else None
    if form.validate_on_submit():
        kind = HearingKind(form.kind.data)
        try:
            hearing = booking.book(
                case, kind, _when(form, form.duration_minutes.data), by=current_user
            )
        except FieldError as error:
            show_field_error(form, error)
        else:
            flash(f"{KINDS[kind].label} booked")
            return _to_hearing(case, hearing)
    return render_template("hearings/case/book.html", case=case, form=form)


@bp.get("/<int:hearing_id>")
def show(reference: str, hearing_id: int):
    case, hearing = _hearing(reference, hearing_id, Action.VIEW_HEARINGS)
    today = london_today()
    current = hearing.outcome
    return render_template(
        "hearings/case/show.html",
        case=case,
        hearing=hearing,
        status_colour=services.STATUS_TAGS[hearing.status],
        current=current,
        earlier=[o for o in reversed(hearing.outcomes) if o is not current],
        can_change=can(current_user, Action.PLAN_HEARINGS, case)
        and booking.why_fixed(hearing) is None,
        can_record=can(current_user, Action.RECORD_HEARING, case)
        and outcomes.can_record_outcome(hearing, today) is None,
    )


@bp.route("/<int:hearing_id>/move", methods=["GET", "POST"])
def move(reference: str, hearing_id: int):
    case, hearing = _hearing(reference, hearing_id, Action.PLAN_HEARINGS)
    fixed = booking.why_fixed(hearing)
    if fixed:
        return _refused(case, hearing, "You cannot move this hearing", fixed)
    form = forms.MoveHearingForm()
    form.set_judges(court_services.team_judges(case.team_id, active_only=True))
    if request.method == "GET":
        form.day.data = hearing.day
        form.starts_at.data = hearing.starts_at
        form.judge_id.data = str(hearing.judge_id) if hearing.judge_id else None
        form.open_at(hearing)
    if form.validate_on_submit():
        try:
            booking.move(
                hearing, _when(form), form.reason.data, by=current_user, based_on=form.based_on()
            )
        except FieldError as error:
            show_field_error(form, error)
        except StaleEdit as error:
            show_stale(form, error)
        else:
            flash(f"{hearing.kind.label} moved")
            return _to_hearing(case, hearing)
    return render_template("hearings/case/move.html", case=case, hearing=hearing, form=form)


@bp.route("/<int:hearing_id>/cancel", methods=["GET", "POST"])
def cancel(reference: str, hearing_id: int):
    case, hearing = _hearing(reference, hearing_id, Action.PLAN_HEARINGS)
    fixed = booking.why_fixed(hearing)
    if fixed:
        return _refused(case, hearing, "You cannot cancel this hearing", fixed)
    form = forms.CancelHearingForm()
    if request.method == "GET":
        form.open_at(hearing)
    if form.validate_on_submit():
        try:
            booking.cancel(hearing, form.reason.data, by=current_user, based_on=form.based_on())
        except FieldError as error:
            show_field_error(form, error)
        except StaleEdit as error:
            show_stale(form, error)
        else:
            flash(f"{hearing.kind.label} cancelled")
            return _to_hearing(case, hearing)
    return render_template("hearings/case/cancel.html", case=case, hearing=hearing, form=form)


@bp.route("/<int:hearing_id>/outcome", methods=["GET", "POST"])
def outcome(reference: str, hearing_id: int):
    case, hearing = _hearing(reference, hearing_id, Action.RECORD_HEARING)
    today = london_today()
    not_yet = outcomes.can_record_outcome(hearing, today)
    if not_yet:
        return _refused(case, hearing, "You cannot record the outcome yet", not_yet)
    current = hearing.outcome
    form = forms.outcome_form(
        case.parents,
        amending=current is not None,
        goals_required=hearing.kind is HearingKind.NLR,
    )
    if request.method == "GET":
        form.open_at(hearing)
    if request.method == "GET" and current is not None:
        form.others_present.data = current.others_present
        form.goals.data = current.goals
        form.note.data = current.note
        for row in current.attendance:
            field = getattr(form, f"attended_{row.parent_id}", None)
            if field is not None:
                field.data = "yes" if row.attended else "no"
    based_on = form.based_on() if form.is_submitted() else None
    if based_on is not None and based_on != hearing.version:
        # Opened before another outcome (the form may now need a reason to amend): refused
        # before its fields are checked, with the other outcome shown.
        show_stale(form, outcomes.outcome_stale(hearing, based_on))
    elif form.validate_on_submit():
        answers = {"yes": True, "no": False}
        attended = {parent.id: answers.get(field.data) for parent, field in form.parent_fields}
        try:
            outcomes.record_outcome(
                hearing,
                attended,
                others_present=form.others_present.data or "",
                goals=form.goals.data or "",
                note=form.note.data or "",
                amend_reason=form.amend_reason.data if current is not None else "",
                by=current_user,
                today=today,
                based_on=form.based_on(),
            )
        except FieldError as error:
            show_field_error(form, error)
        except StaleEdit as error:
            show_stale(form, error)
        else:
            flash(
                "Amendment saved. The earlier version stays on record, marked as amended"
                if current is not None
                else "Outcome recorded"
            )
            return _to_hearing(case, hearing)
    return render_template(
        "hearings/case/outcome.html", case=case, hearing=hearing, form=form, current=current
    )


@bp.route("/extensions/new", methods=["GET", "POST"])
def extension(reference: str):
    case = case_for(reference, Action.EXTEND_PROCEEDINGS)
    form = forms.ExtensionForm()
    if form.validate_on_submit():
        try:
            outcomes.record_extension(
                case,
                form.granted_on.data,
                form.weeks.data,
                form.reason.data or "",
                by=current_user,
                today=london_today(),
            )
        except FieldError as error:
            show_field_error(form, error)
        else:
            weeks = form.weeks.data
            flash(f"Extension of {weeks} week{'s' if weeks != 1 else ''} recorded")
            return _to_index(case)
    return render_template("hearings/case/extension.html", case=case, form=form)
