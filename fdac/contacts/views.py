"""A case's contacts: record, correct, list; compliance; the case's own target.

Thin: each view checks access through case_for (can()), parses its form, calls one service and
redirects (post/redirect/get). The services commit, or raise FieldErrors and save nothing.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from fdac.auth.access import Action, can
from fdac.auth.guards import case_for
from fdac.cases.phases import Phase
from fdac.contacts import services
from fdac.contacts.forms import ContactForm, TargetForm
from fdac.contacts.kinds import OUTCOMES, ContactOutcome
from fdac.contacts.summary import case_summary
from fdac.dates import london_today, utc_now
from fdac.extensions import db
from fdac.forms import ConfirmForm, show_field_error
from fdac.validation import FieldErrors
from fdac.versions import StaleEdit, show_stale

bp = Blueprint("contacts", __name__, url_prefix="/cases/<reference>/contacts")


def _contact(reference: str, contact_id: int, action: Action):
    case = case_for(reference, action)
    contact = services.contact_of(case, contact_id)
    if contact is None:
        abort(404)  # another case's contact, reached by editing the address
    return case, contact


def _show_errors(form, error: FieldErrors) -> None:
    for err in error.errors:
        show_field_error(form, err)


def _to_index(case):
    return redirect(url_for("contacts.index", reference=case.reference))


@bp.get("")
def index(reference: str):
    case = case_for(reference, Action.VIEW_CONTACTS)
    filters = services.Filters.of(case, request.args)
    page = db.paginate(
        services.contacts_query(case, filters), per_page=services.PER_PAGE, error_out=False
    )
    return render_template(
        "contacts/index.html",
        case=case,
        page=page,
        filters=filters,
        outcomes=OUTCOMES,
        ContactOutcome=ContactOutcome,
        summary=case_summary(case, london_today()),
        targets=services.case_target_rows(case),
        can_record=can(current_user, Action.RECORD_CONTACT, case),
        can_set_target=can(current_user, Action.SET_CONTACT_TARGET, case),
    )


def _contact_form(case, contact=None) -> ContactForm:
    form = ContactForm()
    form.set_choices(case.parents, services.practitioner_choices(case, contact))
    return form


@bp.route("/new", methods=["GET", "POST"])
def new(reference: str):
    case = case_for(reference, Action.RECORD_CONTACT)
    form = _contact_form(case)
    if request.method == "GET":
        form.day.data = london_today()
        form.practitioner_ids.data = [str(current_user.id)]
        parent = request.args.get("parent", "")
        if parent in {str(p.id) for p in case.parents}:
            form.parent_id.data = parent
        elif len(case.parents) == 1:
            form.parent_id.data = str(case.parents[0].id)
    if form.validate_on_submit():
        try:
            contact = services.record(case, form.entry(), by=current_user, now=utc_now())
        except FieldErrors as error:
            _show_errors(form, error)
        else:
            flash(f"Contact with {contact.parent.name} recorded")
            return redirect(
                url_for("contacts.show", reference=case.reference, contact_id=contact.id)
            )
    return render_template("contacts/form.html", case=case, form=form, contact=None)


@bp.get("/<int:contact_id>")
def show(reference: str, contact_id: int):
    case, contact = _contact(reference, contact_id, Action.VIEW_CONTACTS)
    return render_template(
        "contacts/show.html",
        case=case,
        contact=contact,
        outcome=OUTCOMES[contact.outcome],
        tests=services.tests_at(contact) if can(current_user, Action.VIEW_RESULTS, case) else [],
        can_change=can(current_user, Action.RECORD_CONTACT, case),
        can_enter_tests=contact.outcome.attended and can(current_user, Action.RECORD_RESULTS, case),
        can_see_history=can(current_user, Action.VIEW_CASE_HISTORY, case),
    )


@bp.route("/<int:contact_id>/edit", methods=["GET", "POST"])
def edit(reference: str, contact_id: int):
    case, contact = _contact(reference, contact_id, Action.RECORD_CONTACT)
    form = _contact_form(case, contact)
    if request.method == "GET":
        form.fill(services.entry_of(contact))
        form.open_at(contact)
    if form.validate_on_submit():
        try:
            services.correct(contact, form.entry(), now=utc_now(), based_on=form.based_on())
        except FieldErrors as error:
            _show_errors(form, error)
        except StaleEdit as error:
            show_stale(form, error)
        else:
            flash("Contact updated. The earlier details are kept in the case history")
            return redirect(
                url_for("contacts.show", reference=case.reference, contact_id=contact.id)
            )
    return render_template("contacts/form.html", case=case, form=form, contact=contact)


@bp.route("/target", methods=["GET", "POST"])
def target(reference: str):
    case = case_for(reference, Action.SET_CONTACT_TARGET)
    form = TargetForm()
    rows = services.case_target_rows(case)
    if request.method == "GET":
        wanted = request.args.get("phase", "")
        phase = next((r for r in rows if r.phase.value == wanted), None) or next(
            (r for r in rows if r.current), rows[0]
        )
        form.phase.data = phase.phase.value
        form.per_week.data = phase.per_week
        form.reason.data = phase.own.reason if phase.own else ""
        form.open_at_target(phase.phase, phase.own)
    if form.validate_on_submit():
        try:
            saved = services.set_target(
                case,
                form.chosen_phase,
                form.per_week.data,
                form.reason.data or "",
                by=current_user,
                based_on=form.based_on_for(form.chosen_phase),
            )
        except FieldErrors as error:
            _show_errors(form, error)
        except StaleEdit as error:
            show_stale(form, error)
            rows = services.case_target_rows(case)  # as they stand now, with the other change
        else:
            flash(
                f"Contact target for {saved.phase.label.lower()} set to {saved.per_week} "
                "a week for this case"
            )
            return _to_index(case)
    return render_template("contacts/target.html", case=case, form=form, rows=rows)


@bp.route("/target/<phase>/remove", methods=["GET", "POST"])
def remove_target(reference: str, phase: str):
    case = case_for(reference, Action.SET_CONTACT_TARGET)
    own = services.own_target(case, Phase(phase)) if phase in {p.value for p in Phase} else None
    if own is None:
        abort(404)
    rows = services.case_target_rows(case)
    team_per_week = next(r.team_per_week for r in rows if r.phase is own.phase)
    form = ConfirmForm()
    if form.validate_on_submit():
        label = own.phase.label.lower()
        services.remove_target(own)
        flash(f"This case now uses the team's contact target for {label}")
        return _to_index(case)
    return render_template(
        "contacts/remove_target.html",
        case=case,
        target=own,
        team_per_week=team_per_week,
        form=form,
    )
