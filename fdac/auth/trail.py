"""Signing in and out in the audit trail: every sign-in, failure, lock and sign-out.

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


def _record(action: str, user: User | None, actor: User | None, facts: dict) -> None:
    """The one place a sign-in row is written (the caller commits)."""
    event = record(action, "users", user.id if user else "", None, facts | {"from": _address()})
    if actor is not None:
        event.actor_id, event.actor_label = actor.id, f"{actor.name} <{actor.email}>"[:160]
    else:
        event.actor_id, event.actor_label = None, "someone signing in"
