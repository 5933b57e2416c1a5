"""Court documents of a case: the review report and the note of the hearing.

Thin: each view checks access through case_for (can()), parses its form, calls one service
and redirects (post/redirect/get). Judges read issued versions only: a draft, or a document
with no issued version, is a 404 for them, as if it did not exist.
"""

from io import BytesIO

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user

from fdac.audit.exports import record_export
from fdac.auth.access import PERMISSIONS, Action, can
from fdac.auth.guards import case_for
from fdac.court_documents import forms, pdf, services, workflow
from fdac.court_documents.kinds import DocumentKind
from fdac.court_documents.workflow import Step
from fdac.dates import london_today
from fdac.extensions import db
from fdac.forms import show_field_error
from fdac.reports.anonymise import AnonymisationError
from fdac.reports.case_pseudonyms import pseudonyms_for_case
from fdac.reports.exports import wants_anonymised
from fdac.validation import FieldError
from fdac.versions import StaleEdit, show_stale
from hearings import services as hearing_services

bp = Blueprint("court_documents", __name__, url_prefix="/cases/<reference>/documents")


def issued_only(user) -> bool:
    """Readers who never draft (judges) see issued versions only, whatever the case's state."""
    return Action.DRAFT_COURT_DOCUMENT not in PERMISSIONS[user.role]


def _document(reference: str, document_id: int, action: Action = Action.VIEW_COURT_DOCUMENTS):
    case = case_for(reference, action)
    document = services.document_of(case, document_id)
    if document is None or not services.visible_versions(
        document, issued_only=issued_only(current_user)
    ):
        abort(404)
    return case, document


def _allowed(case) -> set[Action]:
    return {
        a
        for a in (Action.DRAFT_COURT_DOCUMENT, Action.APPROVE_COURT_DOCUMENT)
        if can(current_user, a, case)
    }


def _to_document(case, document):
    return redirect(
        url_for("court_documents.show", reference=case.reference, document_id=document.id)
    )


def _refused(case, document, heading: str, why: str):
    return render_template(
        "court_documents/refused.html", case=case, document=document, heading=heading, why=why
    )


@bp.app_context_processor
def _links():
    """`court_document_link(case, hearing)` for the hearing page: start or open its document."""

    def court_document_link(case, hearing) -> dict | None:
        if not can(current_user, Action.DRAFT_COURT_DOCUMENT, case):
            return None
        today = london_today()
        for kind in DocumentKind:
            found = services.existing(hearing, kind)
            if found is not None:
                url = url_for(
                    "court_documents.show", reference=case.reference, document_id=found.id
                )
                return {"text": f"Open the {kind.label.lower()}", "href": url}
            if services.why_cannot_start(hearing, kind, today) is None:
                url = url_for(
                    "court_documents.new",
                    reference=case.reference,
                    hearing_id=hearing.id,
                    kind=kind.value,
                )
                return {"text": kind.info.start, "href": url}
        return None

    return {"court_document_link": court_document_link}


def case_section(case, user) -> dict:
    """The case page's list (context `court_documents`), for readers who may see it."""
    today = london_today()
    return {
        "lines": services.case_documents(case, issued_only=issued_only(user)),
        "startable": services.startable(case, today)
        if can(user, Action.DRAFT_COURT_DOCUMENT, case)
        else [],
    }


@bp.route("/new", methods=["GET", "POST"])
def new(reference: str):
    case = case_for(reference, Action.DRAFT_COURT_DOCUMENT)
    try:
        kind = DocumentKind(request.args.get("kind", ""))
        hearing = hearing_services.hearing_of(case, int(request.args.get("hearing_id", "")))
    except ValueError:
        abort(404)
    if hearing is None:
        abort(404)
    found = services.existing(hearing, kind)
    if found is not None:
        return _to_document(case, found)
    today = london_today()
    problem = services.why_cannot_start(hearing, kind, today)
    if problem:
        return _refused(case, None, f"You cannot start a {kind.label.lower()} here", problem)
    form = forms.document_form(kind)
    if request.method == "GET":
        form.period_from.data, form.period_to.data = services.default_period_for(
            case, hearing, today
        )
        for field, text in services.prefill(hearing, kind).items():
            getattr(form, field).data = text
    if form.validate_on_submit():
        try:
            document = services.create(
                case,
                hearing,
                kind,
                form.words(),
                (form.period_from.data, form.period_to.data),
                by=current_user,
                today=today,
            )
        except FieldError as error:
            show_field_error(form, error)
        else:
            flash(f"{kind.label} saved as a draft")
            return _to_document(case, document)
    return render_template(
        "court_documents/edit.html", case=case, hearing=hearing, kind=kind, form=form, version=None
    )


def _version_page(case, document, version):
    latest = document.latest
    shown = services.visible_versions(document, issued_only=issued_only(current_user))
    today = london_today()
    return render_template(
        "court_documents/version.html",
        **pdf.context(
            document,
            version,
            today,
            printing=False,
            earlier=[v for v in reversed(shown) if v is not version],
            steps=workflow.steps(version.status, latest=version is latest, allowed=_allowed(case))
            if version is latest
            else set(),
            Step=Step,
            submit_form=forms.SubmitForm(),
        ),
    )


@bp.get("/<int:document_id>")
def show(reference: str, document_id: int):
    case, document = _document(reference, document_id)
    shown = services.visible_versions(document, issued_only=issued_only(current_user))
    return _version_page(case, document, shown[-1])


def _version(document, number: int):
    shown = services.visible_versions(document, issued_only=issued_only(current_user))
    version = next((v for v in shown if v.number == number), None)
    if version is None:
        abort(404)
    return version


@bp.get("/<int:document_id>/versions/<int:number>")
def version(reference: str, document_id: int, number: int):
    case, document = _document(reference, document_id)
    return _version_page(case, document, _version(document, number))


@bp.get("/<int:document_id>/versions/<int:number>.pdf")
def version_pdf(reference: str, document_id: int, number: int):
    """A version as PDF, named or anonymised (?anonymise=1), audited; an anonymised copy that
    would still name someone is refused and nothing leaves."""
    case, document = _document(reference, document_id)
    version = _version(document, number)
    anonymised = wants_anonymised(request.args)
    names = pseudonyms_for_case(case, [current_user.name]) if anonymised else None
    try:
        content = pdf.version_pdf(
            document, version, london_today(), current_app.static_folder, names=names
        )
    except AnonymisationError as error:
        current_app.logger.warning(
            "Anonymised PDF of %s document %d stopped: %d name(s) left",
            case.reference,
            document.id,
            len(error.names),
        )
        back = url_for(
            "court_documents.version", reference=case.reference, document_id=document.id,
            number=version.number,
        )  # fmt: skip
        return render_template(
            "reports/export_refused.html",
            case=case,
            names=error.names,
            back={"href": back, "text": f"Back to version {version.number}"},
        ), 422
    record_export(case, "pdf", version.period_from, version.period_to, anonymised=anonymised)
    db.session.commit()
    return send_file(
        BytesIO(content),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=pdf.download_name(document, version, anonymised),
    )


@bp.route("/<int:document_id>/edit", methods=["GET", "POST"])
def edit(reference: str, document_id: int):
    case, document = _document(reference, document_id, Action.DRAFT_COURT_DOCUMENT)
    version = document.latest
    problem = workflow.why_not(version.status, Step.EDIT)
    if problem:
        return _refused(case, document, "You cannot change this version", problem)
    form = forms.document_form(document.kind)
    if request.method == "GET":
        form.period_from.data, form.period_to.data = version.period_from, version.period_to
        for field, text in version.words().items():
            getattr(form, field).data = text
        form.open_at(version)
    if form.validate_on_submit():
        try:
            services.save_draft(
                version,
                form.words(),
                (form.period_from.data, form.period_to.data),
                by=current_user,
                based_on=form.based_on(),
            )
        except FieldError as error:
            show_field_error(form, error)
        except StaleEdit as error:
            show_stale(form, error)
        else:
            flash("Draft saved")
            return _to_document(case, document)
    return render_template(
        "court_documents/edit.html",
        case=case,
        hearing=document.hearing,
        kind=document.kind,
        form=form,
        version=version,
    )


@bp.post("/<int:document_id>/submit")
def submit(reference: str, document_id: int):
    case, document = _document(reference, document_id, Action.DRAFT_COURT_DOCUMENT)
    form = forms.SubmitForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.submit(document.latest, by=current_user)
    except FieldError as error:
        return _refused(case, document, "You cannot submit this version", error.message)
    flash("Submitted for a manager's approval")
    return _to_document(case, document)


@bp.route("/<int:document_id>/send-back", methods=["GET", "POST"])
def send_back(reference: str, document_id: int):
    case, document = _document(reference, document_id, Action.APPROVE_COURT_DOCUMENT)
    version = document.latest
    problem = workflow.why_not(version.status, Step.SEND_BACK)
    if problem:
        return _refused(case, document, "You cannot send this version back", problem)
    form = forms.SendBackForm()
    if form.validate_on_submit():
        try:
            services.send_back(version, form.reason.data, by=current_user)
        except FieldError as error:
            show_field_error(form, error)
        else:
            flash("Sent back to the author")
            return _to_document(case, document)
    return render_template(
        "court_documents/send_back.html", case=case, document=document, version=version, form=form
    )


@bp.route("/<int:document_id>/issue", methods=["GET", "POST"])
def issue(reference: str, document_id: int):
    case, document = _document(reference, document_id, Action.APPROVE_COURT_DOCUMENT)
    version = document.latest
    problem = workflow.why_not(version.status, Step.ISSUE)
    if problem:
        return _refused(case, document, "You cannot issue this version", problem)
    form = forms.IssueForm()
    if form.validate_on_submit():
        today = london_today()
        try:
            services.issue(version, pdf.live_summary(version, today), by=current_user, today=today)
        except FieldError as error:
            show_field_error(form, error)
        else:
            flash(f"{document.kind.label} issued. It can no longer change")
            return _to_document(case, document)
    return render_template(
        "court_documents/issue.html", case=case, document=document, version=version, form=form
    )


@bp.route("/<int:document_id>/revise", methods=["GET", "POST"])
def revise(reference: str, document_id: int):
    case, document = _document(reference, document_id, Action.DRAFT_COURT_DOCUMENT)
    problem = workflow.why_not(document.latest.status, Step.REVISE)
    if problem:
        return _refused(case, document, "You cannot revise this document now", problem)
    form = forms.ReviseForm()
    if form.validate_on_submit():
        try:
            version = services.revise(document, form.reason.data, by=current_user)
        except FieldError as error:
            show_field_error(form, error)
        else:
            flash(
                f"Version {version.number} started as a draft. The issued version stays on record"
            )
            return redirect(
                url_for("court_documents.edit", reference=case.reference, document_id=document.id)
            )
    return render_template(
        "court_documents/revise.html",
        case=case,
        document=document,
        version=document.latest,
        form=form,
    )
