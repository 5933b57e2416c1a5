from datetime import timedelta
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required

from fdac.auth import services, sessions, two_factor
from fdac.auth.forms import ChangePasswordForm, SignInForm
from fdac.dates import utc_now
from fdac.extensions import db, limiter
from fdac.forms import show_field_error
from fdac.validation import FieldError

bp = Blueprint("auth", __name__)

GENERIC_SIGN_IN_ERROR = "Enter a correct email address and password"
# The same words for a locked account and for any email typed too often, so neither says
# whether the account exists.
TOO_MANY_FOR_EMAIL = (
    "There have been too many attempts to sign in with this email address. "
    "Wait {minutes} minutes, then try again."
)
TOO_MANY_FROM_ADDRESS = (
    "There have been too many attempts to sign in from your network. "
    "Wait {minutes} minutes, then try again."
)


def _safe_next(target: str | None) -> str | None:
    """Only follow a `next` that stays on this site (no open redirect)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _rules() -> services.SignInRules:
    config = current_app.config
    return services.SignInRules(
        max_failures=config["FDAC_SIGN_IN_MAX_FAILURES"],
        lock_for=timedelta(minutes=config["FDAC_SIGN_IN_LOCK_MINUTES"]),
        second_step=config["FDAC_TWO_FACTOR"],
    )


# Flask-Limiter counts failed attempts only (deduct_when), per email typed and per address.
def _typed_email() -> str:
    return "sign-in:" + request.form.get("email", "").strip().lower()[:254]


def _per_email() -> str:
    return _failures_per_window("FDAC_SIGN_IN_MAX_FAILURES")


def _per_address() -> str:
    return _failures_per_window("FDAC_SIGN_IN_FAILURES_PER_ADDRESS")


def _failures_per_window(setting: str) -> str:
    config = current_app.config
    return f"{config[setting]} per {config['FDAC_SIGN_IN_LOCK_MINUTES']} minutes"


def _failed(_response) -> bool:
    return g.get("sign_in_failed", False)


def _refusal(message: str):
    """What a refused attempt sees: the sign-in page with `message`, status 429. Not
    audited (an attack would flood the trail); the failures before it were."""

    def on_breach(_limit):
        current_app.logger.warning("Sign-in refused by the rate limit from %s", request.remote_addr)
        response = current_app.make_response(_sign_in_page(SignInForm(), _too_many(message)))
        response.status_code = 429
        return response

    return on_breach


def _sign_in_page(form: SignInForm, error: str | None = None):
    if error:
        form.password.errors = [*form.password.errors, error]
    minutes = current_app.config["FDAC_SIGN_IN_LOCK_MINUTES"]
    return render_template("auth/sign_in.html", form=form, lock_minutes=minutes)


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(
    _per_address,
    key_func=get_remote_address,
    methods=["POST"],
    scope="address",
    deduct_when=_failed,
    on_breach=_refusal(TOO_MANY_FROM_ADDRESS),
)
@limiter.limit(
    _per_email,
    key_func=_typed_email,
    methods=["POST"],
    scope="email",
    deduct_when=_failed,
    on_breach=_refusal(TOO_MANY_FOR_EMAIL),
)
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("home"))
    form = SignInForm()
    if not form.validate_on_submit():
        return _sign_in_page(form)
    attempt = services.attempt_sign_in(form.email.data, form.password.data, utc_now(), _rules())
    if attempt.user is None:
        g.sign_in_failed = True
        message = _too_many(TOO_MANY_FOR_EMAIL) if attempt.locked else GENERIC_SIGN_IN_ERROR
        return _sign_in_page(form, message)
    next_url = _safe_next(request.args.get("next"))
    if current_app.config["FDAC_TWO_FACTOR"]:
        # Nobody is signed in yet: the code comes first (fdac.auth.two_factor_views).
        user = attempt.user
        two_factor.prepare(user)
        sessions.await_code(user, utc_now(), next_url)
        return redirect(
            url_for("auth.two_factor_code" if user.has_two_factor else "auth.set_up_two_factor")
        )
    sessions.start(attempt.user, utc_now())
    services.record_sign_in(attempt.user)
    return redirect(next_url or url_for("home"))


def _too_many(message: str) -> str:
    return message.format(minutes=current_app.config["FDAC_SIGN_IN_LOCK_MINUTES"])


@bp.post("/sign-out")
def sign_out():
    services.sign_out(current_user._get_current_object())
    sessions.finish()
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
            user = current_user._get_current_object()
            try:
                services.change_password(user, form.new_password.data)
            except FieldError as error:
                db.session.rollback()
                error.field = "new_password"
                show_field_error(form, error)
            else:
                sessions.renew(user)
                flash("Your password has been changed. You have been signed out everywhere else.")
                return redirect(url_for("home"))
    return render_template("auth/change_password.html", form=form)


# The second step's routes join this blueprint (they use the helpers above).
from fdac.auth import two_factor_views  # noqa: E402, F401
