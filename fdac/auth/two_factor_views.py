"""The pages of two-factor sign-in: the code after the password, the set-up at the first
sign-in, the person's recovery codes and an admin's reset. Part of the auth blueprint."""

from flask import (
    current_app,
    flash,
    g,
    redirect,
    render_template,
    session,
    url_for,
)
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required

from fdac.auth import services, sessions, totp, two_factor
from fdac.auth.access import Action
from fdac.auth.forms import CodeForm, NewRecoveryCodesForm, SetUpTwoFactorForm, SignInForm
from fdac.auth.guards import requires
from fdac.auth.models import User
from fdac.auth.views import (
    TOO_MANY_FOR_EMAIL,
    TOO_MANY_FROM_ADDRESS,
    _failed,
    _per_address,
    _per_email,
    _rules,
    _sign_in_page,
    _too_many,
    bp,
)
from fdac.dates import utc_now
from fdac.extensions import db, limiter
from fdac.forms import ConfirmForm

WRONG_CODE = "Enter a correct code from your authenticator app, or an unused recovery code"
WRONG_SET_UP_CODE = (
    "Enter the code your authenticator app shows now. If it is not accepted, check that "
    "the time on your phone is set automatically."
)
START_AGAIN = "Enter your email address and password again to sign in."
TOO_MANY_CODES = "There have been too many wrong codes. Wait {minutes} minutes, then sign in again."


def _half_way_key() -> str:
    """The rate limit's key for codes: the account half-way through signing in."""
    pending = session.get(sessions.HALF_WAY)
    return f"second-step:{pending.get('user') if isinstance(pending, dict) else ''}"


def _refusal(message: str):
    """A code refused by the rate limiter: the sign-in page again, status 429 (not audited:
    the wrong codes before it were)."""

    def on_breach(_limit):
        current_app.logger.warning("Code refused by the rate limit from %s", get_remote_address())
        sessions.finish()
        response = current_app.make_response(_sign_in_page(SignInForm(), _too_many(message)))
        response.status_code = 429
        return response

    return on_breach


def _limited(view):
    """The code pages are limited like the password: failures per address and per account."""
    view = limiter.limit(
        _per_email,
        key_func=_half_way_key,
        methods=["POST"],
        scope="second-step",
        deduct_when=_failed,
        on_breach=_refusal(TOO_MANY_CODES),
    )(view)
    return limiter.limit(
        _per_address,
        key_func=get_remote_address,
        methods=["POST"],
        scope="address",
        deduct_when=_failed,
        on_breach=_refusal(TOO_MANY_FROM_ADDRESS),
    )(view)


def _start_again():
    sessions.finish()
    flash(START_AGAIN)
    return redirect(url_for("auth.sign_in"))


@bp.route("/sign-in/code", methods=["GET", "POST"])
@_limited
def two_factor_code():
    if current_user.is_authenticated:
        return redirect(url_for("home"))
    pending = sessions.half_way(utc_now())
    if pending is None:
        return _start_again()
    user, next_url = pending
    if not user.has_two_factor:
        return redirect(url_for("auth.set_up_two_factor"))
    form = CodeForm()
    if form.validate_on_submit():
        outcome = two_factor.check_code(user, form.code.data, utc_now(), _rules())
        if outcome.ok:
            _start_session(user)
            if outcome.by_recovery_code:
                left = two_factor.unused_recovery_codes(user)
                flash(
                    f"You signed in with a recovery code. You have {left} left: "
                    "make new ones from “Two-factor sign-in” in your account."
                )
            return redirect(next_url or url_for("home"))
        g.sign_in_failed = True
        if outcome.locked:
            sessions.finish()
            return _sign_in_page(SignInForm(), _too_many(TOO_MANY_FOR_EMAIL))
        form.code.errors.append(WRONG_CODE)
    return render_template("auth/two_factor_code.html", form=form)


@bp.route("/sign-in/set-up-two-factor", methods=["GET", "POST"])
@_limited
def set_up_two_factor():
    if current_user.is_authenticated:
        return redirect(url_for("home"))
    pending = sessions.half_way(utc_now())
    if pending is None:
        return _start_again()
    user, next_url = pending
    if user.has_two_factor:
        return redirect(url_for("auth.two_factor_code"))
    if user.totp_secret is None:  # reset by an admin since the password was typed
        return _start_again()
    form = SetUpTwoFactorForm()
    if form.validate_on_submit():
        codes = two_factor.confirm_set_up(user, form.code.data, utc_now())
        if codes is not None:
            _start_session(user)
            # Shown on this response only: never stored in clear, never sent anywhere.
            return render_template(
                "auth/recovery_codes.html", codes=codes, next_url=next_url or url_for("home")
            )
        g.sign_in_failed = True
        form.code.errors.append(WRONG_SET_UP_CODE)
    return render_template(
        "auth/set_up_two_factor.html",
        form=form,
        qr=totp.qr_data_uri(totp.provisioning_uri(user.totp_secret, user.email)),
        secret=totp.grouped(user.totp_secret),
        issuer=totp.ISSUER,
        email=user.email,
    )


def _start_session(user: User) -> None:
    sessions.start(user, utc_now())
    services.record_sign_in(user)


@bp.route("/account/two-factor", methods=["GET", "POST"])
@login_required
def two_factor_account():
    """The person's own two-factor sign-in: since when, recovery codes left, new ones."""
    user = current_user._get_current_object()
    form = NewRecoveryCodesForm()
    if user.has_two_factor and form.validate_on_submit():
        if user.check_password(form.password.data):
            codes = two_factor.renew_recovery_codes(user)
            return render_template(
                "auth/recovery_codes.html", codes=codes, next_url=url_for("home"), renewed=True
            )
        form.password.errors.append("Your password is not correct")
    return render_template(
        "auth/two_factor_account.html",
        form=form,
        user=user,
        left=two_factor.unused_recovery_codes(user),
    )


@bp.route("/users/<int:user_id>/reset-two-factor", methods=["GET", "POST"])
@requires(Action.MANAGE_USERS)
def reset_two_factor(user_id: int):
    """An admin's reset, for a person who lost both their phone and their recovery codes:
    signed out everywhere, they set two-factor sign-in up again at their next sign-in."""
    user = db.get_or_404(User, user_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        two_factor.reset(user, by=current_user._get_current_object())
        if user.id == current_user.id:
            sessions.finish()
            flash("Your two-factor sign-in was reset: sign in again to set it up")
            return redirect(url_for("auth.sign_in"))
        flash(f"{user.name} will set up two-factor sign-in again at their next sign-in")
        return redirect(url_for("users.edit", user_id=user.id))
    return render_template("auth/confirm_reset_two_factor.html", form=form, user=user)
