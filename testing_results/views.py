"""Pages for a parent's test results: the trend, entering results, amending, prescriptions.

Thin: each view checks access with can() through case_for, calls a service, redirects.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from fdac.audit.events import record_view
from fdac.auth.access import Action, can
from fdac.auth.guards import case_for
from fdac.cases.models import Parent
from fdac.contacts.services import contact_for_parent
from fdac.dates import london_today
from fdac.extensions import db
from fdac.forms import show_field_error
from fdac.validation import FieldErrors
from testing_results import forms, panels, services, trend
from testing_results.models import Method, Prescription, TestResult
from testing_results.panels import MATRICES, POINT_OF_CARE_MATRICES, Matrix
from testing_results.prescription_forms import PrescriptionForm

bp = Blueprint("results", __name__, url_prefix="/cases/<reference>/parents/<int:parent_id>")


@bp.context_processor
def _panels():
    """The panel table, so the form templates lay out substances in its order."""
    return {
        "screen_matrices": POINT_OF_CARE_MATRICES,
        "panel": lambda matrix: MATRICES[matrix].substances,
        "panels": panels,  # thresholds quoted in hints come from the one table
    }


def _parent(reference: str, parent_id: int, action: Action):
    case = case_for(reference, action)
    parent = db.session.get(Parent, parent_id)
    if parent is None or parent.case_id != case.id:
        abort(404)
    return case, parent


def _result(parent: Parent, result_id: int) -> TestResult:
    result = db.session.get(TestResult, result_id)
    if result is None or result.parent_id != parent.id:
        abort(404)
    return result


def _show_errors(form, error: FieldErrors, draft_count: int = 1) -> None:
    for err in error.errors:
        name = None
        for i in range(draft_count):
            name = form.field_for(i, err.field)
            if name:
                break
        field = getattr(form, name, None) if name else None
        (field.errors if field is not None else form.form_errors).append(err.message)


def _back(case, parent):
    return redirect(url_for("results.parent", reference=case.reference, parent_id=parent.id))


@bp.get("")
def parent(reference: str, parent_id: int):
    case, parent = _parent(reference, parent_id, Action.VIEW_RESULTS)
    record_view(case, parent)
    page = trend.parent_page(case, parent, request.args, today=london_today())
    return render_template(
        "testing_results/parent.html",
        case=case,
        parent=parent,
        page=page,
        can_record=can(current_user, Action.RECORD_RESULTS, case),
    )


def _save_new(case, parent, form, template: str, drafts_of, collected_on=None, **context):
    if request.method == "GET":
        form.collected_on.data = collected_on or london_today()
    if form.validate_on_submit():
        drafts = drafts_of(form)
        if not drafts:
            form.form_errors.append("Record at least one test, or a test that did not happen")
        else:
            try:
                stored = services.record(parent, drafts, by=current_user, today=london_today())
            except FieldErrors as error:
                db.session.rollback()
                _show_errors(form, error, len(drafts))
            else:
                flash(f"{len(stored)} result{'s' if len(stored) != 1 else ''} saved")
                return _back(case, parent)
    return render_template(template, form=form, case=case, parent=parent, **context)


@bp.route("/screens/new", methods=["GET", "POST"])
def new_screens(reference: str, parent_id: int):
    case, parent = _parent(reference, parent_id, Action.RECORD_RESULTS)
    # Entered from a contact (?contact=<id>): its day is the collection date, and each result
    # saved links to it. A contact of another parent or case is ignored.
    contact = contact_for_parent(parent, request.args.get("contact"))

    def drafts_of(form):
        drafts = form.drafts()
        for draft in drafts:
            draft.contact_id = contact.id if contact is not None else None
        return drafts

    return _save_new(
        case,
        parent,
        forms.PointOfCareForm(),
        "testing_results/screens.html",
        drafts_of,
        collected_on=contact.day if contact is not None else None,
        contact=contact,
    )


@bp.route("/peth/new", methods=["GET", "POST"])
def new_peth(reference: str, parent_id: int):
    case, parent = _parent(reference, parent_id, Action.RECORD_RESULTS)
    return _save_new(
        case, parent, forms.PEthForm(), "testing_results/peth.html", lambda f: f.drafts()
    )


@bp.route("/hair/new", methods=["GET", "POST"])
def new_hair(reference: str, parent_id: int):
    case, parent = _parent(reference, parent_id, Action.RECORD_RESULTS)
    form = forms.HairForm()
    if request.method == "GET":
        form.prefill_cutoffs()
    return _save_new(case, parent, form, "testing_results/hair.html", lambda f: f.drafts())


@bp.route("/<any(oral_fluid, urine):matrix>/lab/new", methods=["GET", "POST"])
def new_lab_panel(reference: str, parent_id: int, matrix: str):
    case, parent = _parent(reference, parent_id, Action.RECORD_RESULTS)
    matrix = Matrix(matrix)
    form = forms.LAB_PANEL_FORMS[matrix]()
    screens = services.screen_choices(parent.id, matrix)
    form.set_screens(screens)
    if request.method == "GET":
        form.prefill_cutoffs()
        form.confirms.data = request.args.get("confirms", "")
    by_id = {s.id: s for s in screens}
    return _save_new(
        case,
        parent,
        form,
        "testing_results/lab_panel.html",
        lambda f: f.drafts(by_id),
        matrix=matrix,
    )


@bp.get("/results/<int:result_id>")
def result(reference: str, parent_id: int, result_id: int):
    case, parent = _parent(reference, parent_id, Action.VIEW_RESULTS)
    result = _result(parent, result_id)
    record_view(case, parent, result)
    history = trend.result_history(parent, result)
    return render_template(
        "testing_results/result.html",
        case=case,
        parent=parent,
        history=history,
        can_record=can(current_user, Action.RECORD_RESULTS, case),
    )


@bp.route("/results/<int:result_id>/amend", methods=["GET", "POST"])
def amend(reference: str, parent_id: int, result_id: int):
    case, parent = _parent(reference, parent_id, Action.RECORD_RESULTS)
    original = _result(parent, result_id)
    if services.current_version(original).id != original.id:
        flash("That version has since been amended: this is the latest one")
        latest = services.current_version(original)
        return redirect(
            url_for("results.amend", reference=reference, parent_id=parent_id, result_id=latest.id)
        )
    form_class = forms.form_for(original)
    form = form_class()
    form.amending = True
    screens = []
    if isinstance(form, forms.LabPanelForm):
        screens = services.screen_choices(parent.id, original.matrix)
        form.set_screens(screens)
    if request.method == "GET":
        form.fill_from(original)
        record_view(case, parent, original)  # the form shows the result's values
    if form.validate_on_submit():
        drafts = (
            form.drafts({s.id: s for s in screens})
            if isinstance(form, forms.LabPanelForm)
            else form.drafts()
        )
        drafts = [d for d in drafts if d.sample.matrix is original.matrix]
        try:
            if len(drafts) != 1:
                form.form_errors.append(f"Enter the corrected {original.matrix.label} result")
                raise FieldErrors([])
            services.amend(
                original,
                drafts[0],
                reason=form.amendment_reason.data or "",
                by=current_user,
                today=london_today(),
            )
        except FieldErrors as error:
            db.session.rollback()
            _show_errors(form, error)
        else:
            flash("Amendment saved. The original stays on record, marked as amended.")
            return _back(case, parent)
    return render_template(
        "testing_results/amend.html",
        form=form,
        case=case,
        parent=parent,
        original=original,
        is_screen=original.method is Method.POINT_OF_CARE,
        matrix=original.matrix,
    )


def _prescription_page(reference: str, parent_id: int, prescription_id: int | None):
    case, parent = _parent(reference, parent_id, Action.RECORD_RESULTS)
    prescription = (
        Prescription(case_id=case.id, parent_id=parent.id)
        if prescription_id is None
        else db.get_or_404(Prescription, prescription_id)
    )
    if prescription.parent_id != parent.id:
        abort(404)
    form = PrescriptionForm(obj=prescription if prescription_id else None)
    if form.validate_on_submit():
        try:
            services.save_prescription(prescription, form.values(), by=current_user)
        except FieldErrors as error:
            db.session.rollback()
            for err in error.errors:
                show_field_error(form, err)
        else:
            flash(f"Prescription of {prescription.medication} saved")
            return _back(case, parent)
    return render_template(
        "testing_results/prescription.html",
        form=form,
        case=case,
        parent=parent,
        prescription=prescription,
    )


@bp.route("/prescriptions/new", methods=["GET", "POST"])
def new_prescription(reference: str, parent_id: int):
    return _prescription_page(reference, parent_id, None)


@bp.route("/prescriptions/<int:prescription_id>", methods=["GET", "POST"])
def edit_prescription(reference: str, parent_id: int, prescription_id: int):
    return _prescription_page(reference, parent_id, prescription_id)
