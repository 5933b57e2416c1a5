from flask import redirect, url_for
from flask_login import current_user

from fdac.auth.access import Action, can


def home():
    """Each role starts where its work is."""
    if can(current_user, Action.MANAGE_USERS):
        return redirect(url_for("users.index"))
    return redirect(url_for("cases.index"))
