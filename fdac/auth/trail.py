"""Signing in and out in the audit trail: every sign-in, failure, lock and sign-out, and every
step of two-factor sign-in (set up, turned on, a recovery code used, codes renewed, a reset by
an admin; a wrong code is a failure like a wrong password).

One row each, written by hand through fdac.audit.events (nothing audited changes when someone
fails to sign in). Facts say who tried from where, never the password typed.
"""

from flask import has_request_context, request

from fdac.audit.events import record
from fdac.auth.models import User

SIGN_IN = "sign_in"
SIGN_OUT = "sign_out"
FAILED = "sign_fail"  # a wrong password, an unknown email, an inactive or locked account
LOCKED = "lock"
# Two-factor sign-in. The trail's action column holds 10 characters.
TWO_FACTOR_SET_UP = "2fa_setup"  # a new secret made, shown as a QR code, not yet confirmed
TWO_FACTOR_ON = "2fa_on"  # confirmed with a code from the app: asked at every sign-in
RECOVERY_CODE_USED = "2fa_spent"  # a recovery code typed instead of a code
RECOVERY_CODES_RENEWED = "2fa_codes"  # ten new codes; the old ones no longer work
TWO_FACTOR_RESET = "2fa_reset"  # by an admin: set up again at next sign-in

_EMAIL_KEPT = 254  # the longest email a user can have; anything typed beyond it is noise


def _address() -> str | None:
    return request.remote_addr if has_request_context() else None


def signed_in(user: User) -> None:
    _record(SIGN_IN, user, user, {})


def signed_out(user: User, reason: str = "signed out") -> None:
    _record(SIGN_OUT, user, user, {"reason": reason})


def failed(email: str, user: User | None, reason: str) -> None:
    """A refused attempt. The actor is nobody: whoever typed it proved nothing."""
    _record(FAILED, user, None, {"email": email[:_EMAIL_KEPT], "reason": reason})


def locked(user: User, until) -> None:
    _record(LOCKED, user, None, {"until": until.isoformat()})


def two_factor_set_up(user: User) -> None:
    _record(TWO_FACTOR_SET_UP, user, None, {})


def two_factor_on(user: User) -> None:
    _record(TWO_FACTOR_ON, user, user, {"recovery_codes": "made"})


def recovery_code_used(user: User, left: int) -> None:
    _record(RECOVERY_CODE_USED, user, user, {"recovery_codes_left": left})


def recovery_codes_renewed(user: User) -> None:
    _record(RECOVERY_CODES_RENEWED, user, user, {})


def two_factor_reset(user: User, by: User) -> None:
    _record(TWO_FACTOR_RESET, user, by, {"user": user.email})


def _record(action: str, user: User | None, actor: User | None, facts: dict) -> None:
    """The one place a sign-in row is written (the caller commits)."""
    event = record(action, "users", user.id if user else "", None, facts | {"from": _address()})
    if actor is not None:
        event.actor_id, event.actor_label = actor.id, f"{actor.name} <{actor.email}>"[:160]
    else:
        event.actor_id, event.actor_label = None, "someone signing in"
