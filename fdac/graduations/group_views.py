"""The graduates' group: graduates, ceremonies, certificates, support, mentors; outcomes.

Thin: each view checks access (requires), finds its object within the user's team (another
team's is a 404), parses its form, calls one service and redirects (post/redirect/get).
"""

from io import BytesIO

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from fdac.auth.access import Action, visible_cases
from fdac.auth.guards import requires
from fdac.dates import london_today
from fdac.forms import ConfirmForm, show_field_error
from fdac.graduations import certificate, services
from fdac.graduations.forms import AddGraduatesForm, CeremonyForm, MentorForm, SupportForm
from fdac.graduations.models import SupportKind
from fdac.validation import FieldError

bp = Blueprint("graduates", __name__, url_prefix="/graduates")


def _graduate(graduation_id: int):
    graduation = services.graduate_of(visible_cases(current_user), graduation_id)
    if graduation is None:
        abort(404)  # another team's graduate, or none
    return graduation


def _ceremony(ceremony_id: int):
    ceremony = services.ceremony_of(current_user.team_id, ceremony_id)
    if ceremony is None:
        abort(404)
    return ceremony


def _to_graduate(graduation):
    return redirect(url_for("graduates.show", graduation_id=graduation.id))


def _to_ceremony(ceremony):
    return redirect(url_for("graduates.ceremony", ceremony_id=ceremony.id))


# --- graduates --------------------------------------------------------------------------------


@bp.get("")
@requires(Action.MANAGE_GRADUATES)
def index():
    q = request.args.get("q", "").strip()
    mentors_only = request.args.get("mentors") == "yes"
    return render_template(
        "graduations/graduates.html",
        graduates=services.graduates(visible_cases(current_user), q=q, mentors_only=mentors_only),
        q=q,
        mentors_only=mentors_only,
        filtered=bool(q or mentors_only),
    )


@bp.get("/<int:graduation_id>")
@requires(Action.MANAGE_GRADUATES)
def show(graduation_id: int):
    graduation = _graduate(graduation_id)
    return render_template(
        "graduations/graduate.html",
        graduation=graduation,
        support=services.support_contacts(graduation),
    )


@bp.get("/<int:graduation_id>/certificate.pdf", endpoint="certificate")
@requires(Action.MANAGE_GRADUATES)
def certificate_pdf(graduation_id: int):
    graduation = _graduate(graduation_id)
    return send_file(
        BytesIO(certificate.certificate_pdf(graduation)),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=certificate.filename(graduation),
    )


@bp.route("/<int:graduation_id>/support/new", methods=["GET", "POST"])
@requires(Action.MANAGE_GRADUATES)
def record_support(graduation_id: int):
    graduation = _graduate(graduation_id)
    form = SupportForm()
    if form.validate_on_submit():
        try:
            contact = services.record_support(
                graduation,
                form.day.data,
                SupportKind(form.kind.data),
                form.note.data or "",
                by=current_user,
                today=london_today(),
            )
        except FieldError as error:
            show_field_error(form, error)
        else:
            flash(f"{contact.kind.label} recorded")
            return _to_graduate(graduation)
    return render_template("graduations/support.html", graduation=graduation, form=form)


@bp.route("/<int:graduation_id>/mentor", methods=["GET", "POST"])
@requires(Action.MANAGE_GRADUATES)
def mentor(graduation_id: int):
    graduation = _graduate(graduation_id)
    if graduation.is_mentor:
        return _to_graduate(graduation)
    form = MentorForm()
    if form.validate_on_submit():
        try:
            services.make_mentor(
                graduation, form.since.data, form.note.data or "", today=london_today()
            )
        except FieldError as error:
            show_field_error(form, error)
        else:
            flash(f"{graduation.parent.name} recorded as a parent mentor")
            return _to_graduate(graduation)
    return render_template("graduations/mentor.html", graduation=graduation, form=form)


@bp.route("/<int:graduation_id>/mentor/end", methods=["GET", "POST"])
@requires(Action.MANAGE_GRADUATES)
def end_mentor(graduation_id: int):
    graduation = _graduate(graduation_id)
    if not graduation.is_mentor:
        return _to_graduate(graduation)
    form = ConfirmForm()
    if form.validate_on_submit():
        services.end_mentoring(graduation)
        flash(f"{graduation.parent.name} is no longer a parent mentor")
        return _to_graduate(graduation)
    return render_template("graduations/end_mentor.html", graduation=graduation, form=form)


# --- ceremonies -------------------------------------------------------------------------------


@bp.get("/ceremonies")
@requires(Action.MANAGE_GRADUATES)
def ceremonies():
    today = london_today()
    every = services.ceremonies(current_user.team_id)
    return render_template(
        "graduations/ceremonies.html",
        upcoming=[c for c in reversed(every) if c.day >= today],
        past=[c for c in every if c.day < today],
    )


def _save_ceremony(ceremony, form):
    return services.save_ceremony(
        ceremony,
        team_id=current_user.team_id,
        day=form.day.data,
        starts_at=form.starts_at.data,
        place=form.place.data,
        attending=form.attending.data or "",
        by=current_user,
    )


@bp.route("/ceremonies/new", methods=["GET", "POST"])
@requires(Action.MANAGE_GRADUATES)
def new_ceremony():
    form = CeremonyForm()
    if form.validate_on_submit():
        ceremony = _save_ceremony(None, form)
        flash("Ceremony planned. Add its graduates")
        return _to_ceremony(ceremony)
    return render_template("graduations/ceremony_form.html", form=form, ceremony=None)


@bp.get("/ceremonies/<int:ceremony_id>")
@requires(Action.MANAGE_GRADUATES)
def ceremony(ceremony_id: int):
    return render_template("graduations/ceremony.html", ceremony=_ceremony(ceremony_id))


@bp.route("/ceremonies/<int:ceremony_id>/edit", methods=["GET", "POST"])
@requires(Action.MANAGE_GRADUATES)
def edit_ceremony(ceremony_id: int):
    ceremony = _ceremony(ceremony_id)
    form = CeremonyForm(obj=ceremony)
    if form.validate_on_submit():
        _save_ceremony(ceremony, form)
        flash("Ceremony changed")
        return _to_ceremony(ceremony)
    return render_template("graduations/ceremony_form.html", form=form, ceremony=ceremony)


@bp.route("/ceremonies/<int:ceremony_id>/graduates", methods=["GET", "POST"])
@requires(Action.MANAGE_GRADUATES)
def add_graduates(ceremony_id: int):
    ceremony = _ceremony(ceremony_id)
    visible = visible_cases(current_user)
    waiting = services.without_ceremony(visible)
    form = AddGraduatesForm()
    form.set_graduates(waiting)
    if waiting and form.validate_on_submit():
        try:
            added = services.add_to_ceremony(
                ceremony, visible, [int(i) for i in form.graduation_ids.data]
            )
        except FieldError as error:
            show_field_error(form, error)
        else:
            flash(f"{added} graduate{'' if added == 1 else 's'} added to the ceremony")
            return _to_ceremony(ceremony)
    return render_template(
        "graduations/add_graduates.html", ceremony=ceremony, form=form, waiting=waiting
    )


# --- outcomes ---------------------------------------------------------------------------------


@bp.get("/outcomes")
@requires(Action.VIEW_OUTCOMES)
def outcomes():
    return render_template(
        "graduations/outcomes.html",
        page=services.team_outcomes(visible_cases(current_user)),
        percent=services.percent,
    )
