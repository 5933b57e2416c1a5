"""Flags a manager has seen and marks as dealt with."""

from flask import Blueprint, abort, flash, redirect, url_for
from flask_login import current_user

from fdac.auth.access import Action
from fdac.auth.guards import case_for
from fdac.extensions import db
from fdac.flags import services
from fdac.flags.kinds import FLAG_KINDS
from fdac.flags.models import Flag

bp = Blueprint("flags", __name__, url_prefix="/flags")


@bp.post("/<int:flag_id>/resolve")
def resolve(flag_id: int):
    flag = db.session.get(Flag, flag_id)
    if flag is None:
        abort(404)
    case = case_for(flag.case.reference, Action.RESOLVE_FLAG)  # 404 unless the case is visible
    if FLAG_KINDS[flag.kind].computed:
        abort(400)  # the daily job clears it when the condition goes; no button offers this
    if flag.is_open:
        services.resolve(flag, by=current_user)
        db.session.commit()
        flash(f"{FLAG_KINDS[flag.kind].label} on {case.reference} marked as dealt with.")
    return redirect(url_for("home"))
