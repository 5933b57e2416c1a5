"""API tokens: everyone signed in manages their own; an admin sees and revokes every token.

A token's secret is shown once, on the page that answers its creation; only its hash is kept.
"""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextInput
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from fdac.api import tokens as token_service
from fdac.api.models import ApiToken
from fdac.auth.access import Action, can
from fdac.auth.guards import requires
from fdac.dates import utc_now
from fdac.extensions import db
from fdac.forms import BaseForm, ConfirmForm, select_choices, show_field_error
from fdac.validation import FieldError

bp = Blueprint("tokens", __name__, url_prefix="/tokens")

LIFETIMES = [("90", "90 days"), ("365", "A year"), ("30", "30 days"), ("", "Until revoked")]


class TokenForm(BaseForm):
    name = StringField(
        "Name",
        widget=GovTextInput(),
        description="What will use it, like 'Lab results feed' or 'Council case system'",
        validators=[
            DataRequired("Enter a name for the token"),
            Length(max=80, message="The name must be 80 characters or fewer"),
        ],
    )
    days = SelectField("Lasts for", widget=GovSelect(), choices=select_choices(LIFETIMES))
    submit = SubmitField("Create token", widget=GovSubmitInput())


@bp.get("")
def mine():
    return render_template(
        "users/tokens.html",
        tokens=token_service.tokens_of(current_user),
        now=utc_now(),
        everyone=False,
    )


@bp.get("/all")
@requires(Action.MANAGE_USERS)
def all_tokens():
    return render_template(
        "users/tokens.html", tokens=token_service.tokens_of(), now=utc_now(), everyone=True
    )


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = TokenForm()
    if form.validate_on_submit():
        days = int(form.days.data) if form.days.data else None
        try:
            made = token_service.create_token(current_user, form.name.data, days, by=current_user)
        except FieldError as error:
            db.session.rollback()
            show_field_error(form, error)
        else:
            db.session.commit()
            # Shown once, on this response only.
            return render_template("users/token_created.html", token=made.token, secret=made.secret)
    return render_template("users/token_new.html", form=form)


@bp.route("/<int:token_id>/revoke", methods=["GET", "POST"])
def revoke(token_id: int):
    token = db.session.get(ApiToken, token_id)
    # Someone else's token is not found, unless an admin asks.
    mine = token is not None and token.user_id == current_user.id
    if token is None or not (mine or can(current_user, Action.MANAGE_USERS)):
        abort(404)
    form = ConfirmForm()
    back = url_for("tokens.mine" if token.user_id == current_user.id else "tokens.all_tokens")
    if form.validate_on_submit():
        token_service.revoke(token, by=current_user)
        db.session.commit()
        flash(f"Token {token.prefix}… ({token.name}) revoked")
        return redirect(back)
    return render_template("users/token_revoke.html", form=form, token=token, back=back)
