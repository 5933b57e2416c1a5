"""The subject access export of one parent: a page that asks (GET, which changes nothing) and
the download (POST), for the team's manager only (Action.EXPORT_SUBJECT_ACCESS)."""

from io import BytesIO

from flask import Blueprint, abort, render_template, send_file
from flask_login import current_user

from fdac import subject_access
from fdac.audit.events import record_read
from fdac.auth.access import Action
from fdac.auth.guards import case_for
from fdac.cases.models import Parent
from fdac.dates import london_today, utc_now
from fdac.extensions import db
from fdac.forms import ConfirmForm

bp = Blueprint("subject_access", __name__, url_prefix="/cases/<reference>/parents")


@bp.route("/<int:parent_id>/subject-access", methods=["GET", "POST"])
def export(reference: str, parent_id: int):
    """GET: what the file holds and a button; POST: the file, audited before it leaves."""
    case = case_for(reference, Action.EXPORT_SUBJECT_ACCESS)
    parent = db.session.get(Parent, parent_id)
    if parent is None or parent.case_id != case.id:
        abort(404)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_template("subject_access/confirm.html", case=case, parent=parent, form=form)
    content = subject_access.export_zip(parent, by=current_user.name, at=utc_now())
    name = subject_access.download_name(parent, london_today())
    # Who took whose record out, and how: never a value (the file is the values).
    record_read(
        "export",
        "parents",
        parent.id,
        case.id,
        {"format": subject_access.FORMAT, "subject_access": True, "parent_id": parent.id},
    )
    db.session.commit()
    return send_file(
        BytesIO(content), mimetype="application/zip", as_attachment=True, download_name=name
    )
