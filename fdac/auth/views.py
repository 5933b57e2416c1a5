from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from fdac.auth import services
from fdac.auth.forms import ChangePasswordForm, SignInForm

bp = Blueprint("auth", __name__)

GENERIC_SIGN_IN_ERROR = "Enter a correct email address and password"


def _safe_next(target: str | None) -> str | None:
    """Only follow a `next` that stays on this site (no open redirect)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("home"))
    form = SignInForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user)
            return redirect(_safe_next(request.args.get("next")) or url_for("home"))
        form.password.errors.append(GENERIC_SIGN_IN_ERROR)
    return render_template("auth/sign_in.html", form=form)


@bp.post("/sign-out")
def sign_out():
    logout_user()
    flash("You have signed out")
    return redirect(url_for("auth.sign_in"))


@bp.route("/change-password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current_password.data):
            form.current_password.errors.append("Current password is not correct")
        else:
            services.change_password(current_user, form.new_password.data)
            flash("Your password has been changed")
            return redirect(url_for("home"))
    return render_template("auth/change_password.html", form=form)
