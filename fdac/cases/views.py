from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload

from fdac.auth.access import Action, can, visible_cases
from fdac.auth.guards import case_for, requires
from fdac.auth.roles import Role
from fdac.cases import queries, services
from fdac.cases.forms import (
    NOBODY,
    AllocationForm,
    CaseDetailsForm,
    ChildForm,
    NewCaseForm,
    ParentForm,
    PhaseChangeForm,
)
from fdac.cases.models import Case, Child, Parent
from fdac.cases.phases import PHASES, Outcome, Phase, next_phases
from fdac.contacts import summary as contact_summary
from fdac.court_documents.views import case_section as court_documents_section
from fdac.dates import london_today
from fdac.extensions import db
from fdac.forms import select_choices, show_field_error
from fdac.graduations import summary as graduation_summary
from fdac.query_args import id_arg
from fdac.validation import FieldError
from fdac.versions import StaleEdit, refused_before_validation, show_stale
from hearings import services as hearing_services

bp = Blueprint("cases", __name__, url_prefix="/cases")

CASE_ACTIONS = (
    Action.EDIT_CASE,
    Action.EXPORT_SUBJECT_ACCESS,
    Action.EDIT_PEOPLE,
    Action.ALLOCATE,
    Action.CHANGE_PHASE,
    Action.VIEW_CASE_HISTORY,
    Action.VIEW_RESULTS,
    Action.VIEW_HEARINGS,
    Action.VIEW_CONTACTS,
    Action.RECORD_CONTACT,
    Action.SET_CONTACT_TARGET,
    Action.VIEW_GRADUATION,
    Action.CONFIRM_GRADUATION,
    Action.VIEW_SUMMARY,
    Action.VIEW_COURT_DOCUMENTS,
)


def _person_id(value: str) -> int | None:
    return int(value) if value and value != NOBODY else None


def _allocation_choices(form, team_id: int) -> None:
    form.set_people(
        services.team_people(team_id, Role.PRACTITIONER), services.team_people(team_id, Role.JUDGE)
    )


@bp.get("")
@requires(Action.LIST_CASES)
def index():
    phase = request.args.get("phase", "")
    filters = queries.CaseFilters(
        text=request.args.get("q", ""),
        phase=Phase(phase) if phase in {p.value for p in Phase} else None,
        keyworker_id=id_arg(request.args, "keyworker"),
        judge_id=id_arg(request.args, "judge"),
    )
    query = queries.filtered(visible_cases(current_user), filters).options(
        selectinload(Case.parents), selectinload(Case.keyworker), selectinload(Case.judge)
    )
    page = db.paginate(
        query, per_page=current_app.config["FDAC_CASES_PER_PAGE"], error_out=False, count=True
    )
    team_id = current_user.team_id
    return render_template(
        "cases/index.html",
        page=page,
        filters=filters,
        phases=PHASES,
        keyworkers=services.team_people(team_id, Role.PRACTITIONER) if team_id else [],
        judges=services.team_people(team_id, Role.JUDGE) if team_id else [],
        can_create=can(current_user, Action.CREATE_CASE),
        is_filtered=bool(filters.text or filters.phase or filters.keyworker_id or filters.judge_id),
    )


@bp.route("/new", methods=["GET", "POST"])
@requires(Action.CREATE_CASE)
def new():
    form = NewCaseForm()
    _allocation_choices(form, current_user.team_id)
    if request.method == "GET":
        form.reference.data = services.suggested_reference(london_today().year)
    if form.validate_on_submit():
        try:
            case = services.create_case(
                current_user.team,
                form.data,
                keyworker_id=_person_id(form.keyworker_id.data),
                judge_id=_person_id(form.judge_id.data),
                by=current_user,
                today=london_today(),
            )
        except FieldError as error:
            show_field_error(form, error)
        else:
            flash(f"Case {case.reference} created. Add its parents and children.")
            return redirect(url_for("cases.show", reference=case.reference))
    return render_template("cases/new.html", form=form)


@bp.get("/<reference>")
def show(reference: str):
    case = case_for(reference, Action.VIEW_CASE)
    allowed = {a for a in CASE_ACTIONS if can(current_user, a, case)}
    today = london_today()
    return render_template(
        "cases/show.html",
        case=case,
        allowed=allowed,
        Action=Action,
        hearings=hearing_services.case_hearings(case, today)
        if Action.VIEW_HEARINGS in allowed
        else None,
        contacts_summary=contact_summary.case_summary(case, today)
        if Action.VIEW_CONTACTS in allowed
        else None,
        graduation_summary=graduation_summary.case_summary(case, today)
        if Action.VIEW_GRADUATION in allowed
        else None,
        court_documents=court_documents_section(case, current_user)
        if Action.VIEW_COURT_DOCUMENTS in allowed
        else None,
    )


@bp.route("/<reference>/edit", methods=["GET", "POST"])
def edit(reference: str):
    case = case_for(reference, Action.EDIT_CASE)
    form = CaseDetailsForm(obj=case)
    if form.validate_on_submit():
        try:
            services.update_case_details(case, form.data, based_on=form.based_on())
        except FieldError as error:
            show_field_error(form, error)
        except StaleEdit as error:
            show_stale(form, error)
        else:
            flash("Case details saved")
            return redirect(url_for("cases.show", reference=case.reference))
    return render_template("cases/edit.html", form=form, case=case)


@bp.route("/<reference>/allocation", methods=["GET", "POST"])
def allocation(reference: str):
    case = case_for(reference, Action.ALLOCATE)
    form = AllocationForm()
    _allocation_choices(form, case.team_id)
    if request.method == "GET":
        form.keyworker_id.data = str(case.keyworker_id or NOBODY)
        form.judge_id.data = str(case.judge_id or NOBODY)
        form.open_at(case)
    if form.validate_on_submit():
        try:
            services.allocate(
                case,
                keyworker_id=_person_id(form.keyworker_id.data),
                judge_id=_person_id(form.judge_id.data),
                based_on=form.based_on(),
            )
        except FieldError as error:
            show_field_error(form, error)
        except StaleEdit as error:
            show_stale(form, error)
        else:
            flash("Keyworker and judge saved")
            return redirect(url_for("cases.show", reference=case.reference))
    return render_template("cases/allocation.html", form=form, case=case)


@bp.route("/<reference>/phase", methods=["GET", "POST"])
def phase(reference: str):
    case = case_for(reference, Action.CHANGE_PHASE)
    form = PhaseChangeForm()
    form.to_phase.choices = select_choices((p.value, p.label) for p in next_phases(case.phase))
    if request.method == "GET":
        form.changed_on.data = london_today()
        form.open_at(case)
    if refused_before_validation(form, case):
        return render_template("cases/phase.html", form=form, case=case)
    if form.validate_on_submit():
        try:
            services.change_phase(
                case,
                Phase(form.to_phase.data),
                changed_on=form.changed_on.data,
                outcome=Outcome(form.outcome.data) if form.outcome.data else None,
                note=form.note.data or "",
                by=current_user,
                today=london_today(),
                based_on=form.based_on(),
            )
        except FieldError as error:
            show_field_error(form, error)
        except StaleEdit as error:  # another move committed after this form was checked
            show_stale(form, error)
            form.to_phase.choices = select_choices(
                (p.value, p.label) for p in next_phases(case.phase)
            )
        else:
            flash(f"Case moved to {case.phase.label}")
            return redirect(url_for("cases.show", reference=case.reference))
    return render_template("cases/phase.html", form=form, case=case)


def _person_page(reference: str, model, form_cls, person_id: int | None):
    case = case_for(reference, Action.EDIT_PEOPLE)
    person = model() if person_id is None else db.get_or_404(model, person_id)
    if person_id is not None and person.case_id != case.id:
        abort(404)  # a parent or child of another case, reached by editing the URL
    form = form_cls(obj=person)
    if form.validate_on_submit():
        data = {k: v for k, v in form.data.items() if k not in ("submit", "csrf_token", "version")}
        try:
            services.save_person(case, person, data, based_on=form.based_on())
        except StaleEdit as error:
            show_stale(form, error)
        else:
            flash(f"{person.name} saved")
            return redirect(url_for("cases.show", reference=case.reference))
    kind = "parent" if model is Parent else "child"
    return render_template("cases/person.html", form=form, case=case, kind=kind, person=person)


@bp.route("/<reference>/parents/new", methods=["GET", "POST"])
def new_parent(reference: str):
    return _person_page(reference, Parent, ParentForm, None)


@bp.route("/<reference>/parents/<int:person_id>/edit", methods=["GET", "POST"])
def edit_parent(reference: str, person_id: int):
    return _person_page(reference, Parent, ParentForm, person_id)


@bp.route("/<reference>/children/new", methods=["GET", "POST"])
def new_child(reference: str):
    return _person_page(reference, Child, ChildForm, None)


@bp.route("/<reference>/children/<int:person_id>/edit", methods=["GET", "POST"])
def edit_child(reference: str, person_id: int):
    return _person_page(reference, Child, ChildForm, person_id)


@bp.get("/<reference>/history")
def history(reference: str):
    case = case_for(reference, Action.VIEW_CASE_HISTORY)
    page = db.paginate(queries.case_history(case), per_page=50, error_out=False)
    return render_template("cases/history.html", case=case, page=page)
