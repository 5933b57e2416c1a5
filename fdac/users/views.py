from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from fdac.auth import services as auth_services
from fdac.auth.access import Action
from fdac.auth.guards import requires
from fdac.auth.models import User
from fdac.auth.roles import Role
from fdac.dates import utc_now
from fdac.extensions import db
from fdac.forms import ConfirmForm, show_field_error
from fdac.query_args import whole_id
from fdac.teams.models import Team
from fdac.users import services
from fdac.users.forms import ActiveForm, EditUserForm, NewUserForm
from fdac.validation import FieldError
from fdac.versions import StaleEdit, show_stale

bp = Blueprint("users", __name__, url_prefix="/users")


def _teams():
    return db.session.scalars(select(Team).order_by(Team.name)).all()


def _fields(form) -> dict:
    return {
        "name": form.name.data,
        "email": form.email.data,
        "role": Role(form.role.data),
        "team_id": int(form.team_id.data) if form.team_id.data else None,
        "served_team_ids": [
            n for i in form.served_team_ids.data or () if (n := whole_id(i)) is not None
        ],
    }


@bp.get("")
@requires(Action.MANAGE_USERS)
def index():
    text = request.args.get("q", "").strip().lower()
    query = select(User).options(selectinload(User.team)).order_by(User.active.desc(), User.name)
    if text:
        query = query.where(User.name.ilike(f"%{text}%") | User.email.ilike(f"%{text}%"))
    users = db.session.scalars(query).all()
    return render_template("users/index.html", users=users, q=text, now=utc_now())


@bp.route("/new", methods=["GET", "POST"])
@requires(Action.MANAGE_USERS)
def new():
    form = NewUserForm()
    form.set_teams(_teams())
    if form.validate_on_submit():
        try:
            user = services.save_user(
                User(), **_fields(form), password=form.password.data, must_change_password=True
            )
        except FieldError as error:
            show_field_error(form, error)
        else:
            flash(f"{user.name} can now sign in. They must change the password at first sign-in.")
            return redirect(url_for("users.index"))
    return render_template("users/form.html", form=form, user=None, now=utc_now())


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@requires(Action.MANAGE_USERS)
def edit(user_id: int):
    user = db.get_or_404(User, user_id)
    form = EditUserForm(obj=user)
    form.set_teams(_teams())
    if request.method == "GET":
        form.team_id.data = str(user.team_id or "")
        form.served_team_ids.data = [str(t.id) for t in user.served_teams]
        form.open_at(user)
    if form.validate_on_submit():
        try:
            services.save_user(user, **_fields(form), by=current_user, based_on=form.based_on())
        except FieldError as error:
            show_field_error(form, error)
        except StaleEdit as error:
            show_stale(form, error)
        else:
            flash(f"{user.name} saved")
            return redirect(url_for("users.index"))
    return render_template("users/form.html", form=form, user=user, now=utc_now())


@bp.route("/<int:user_id>/<any(deactivate, reactivate):change>", methods=["GET", "POST"])
@requires(Action.MANAGE_USERS)
def set_active(user_id: int, change: str):
    user = db.get_or_404(User, user_id)
    form = ActiveForm()
    if request.method == "GET":
        form.open_at(user)
    if form.validate_on_submit():
        try:
            services.set_active(
                user, change == "reactivate", by=current_user, based_on=form.based_on()
            )
        except FieldError as error:
            show_field_error(form, error)
        except StaleEdit as error:
            show_stale(form, error)
        else:
            flash(f"{user.name} {change}d")
            return redirect(url_for("users.index"))
    return render_template("users/confirm_active.html", form=form, user=user, change=change)


@bp.route("/<int:user_id>/reset-password", methods=["GET", "POST"])
@requires(Action.MANAGE_USERS)
def reset_password(user_id: int):
    user = db.get_or_404(User, user_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        password = services.reset_password(user)
        # Shown once, on this response only; never stored in clear or sent by email.
        return render_template("users/password_reset.html", user=user, password=password)
    return render_template("users/confirm_reset.html", form=form, user=user)


@bp.route("/<int:user_id>/end-sessions", methods=["GET", "POST"])
@requires(Action.MANAGE_USERS)
def end_sessions(user_id: int):
    """Every session of the user ends at once (a lost laptop, a shared screen): they must sign
    in again everywhere. Their password and account stay as they are."""
    user = db.get_or_404(User, user_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        auth_services.end_all_sessions(user)
        if user.id == current_user.id:
            flash("All your sessions have ended, this one too: sign in again")
            return redirect(url_for("auth.sign_in"))
        flash(f"{user.name} has been signed out everywhere")
        return redirect(url_for("users.edit", user_id=user.id))
    return render_template("users/confirm_end_sessions.html", form=form, user=user)
