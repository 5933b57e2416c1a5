"""Sessions that can be ended: a fresh one at sign-in, checked on every request.

The session is Flask's signed cookie. Beside Flask-Login's user id it carries the user's
session_version when it was made, when the person signed in and when they were last seen.
A request is refused, and the person sent to sign in with the reason, when
- the user's session_version has moved on (sign-out, an admin's "End all sessions", a
  password change or reset, deactivation): every cookie of that user dies at once;
- nothing was asked for FDAC_IDLE_MINUTES (idle timeout);
- the person signed in more than FDAC_SESSION_HOURS ago (absolute lifetime).
docs/decisions/0029-sign-in-and-sessions.md says why a counter and not server-side records.

Between a correct password and the code (two-factor sign-in) the cookie holds only who is
half-way, under which session_version and since when: nobody is signed in until the code is
right, and the half-way state dies with a new version, an inactive account or after
FDAC_SECOND_STEP_MINUTES.
"""

from datetime import datetime, timedelta

from flask import current_app, flash, session
from flask_login import login_user, logout_user

from fdac.auth.models import User
from fdac.extensions import db

VERSION, SIGNED_IN_AT, SEEN_AT = "session_version", "signed_in_at", "seen_at"
HALF_WAY = "second_step"  # {"user", "version", "at", "next"}: password right, code not yet

ENDED = "Your session has ended. Sign in again to continue."
IDLE = "You were signed out because you had not used FDAC Manager for {minutes} minutes."
TOO_LONG = "You were signed out because you had been signed in for {hours} hours."


def start(user: User, now: datetime) -> None:
    """Sign `user` in on a new session: nothing of the old cookie survives (no fixation)."""
    session.clear()
    login_user(user)
    session[VERSION] = user.session_version
    session[SIGNED_IN_AT] = session[SEEN_AT] = now.timestamp()


def await_code(user: User, now: datetime, next_url: str | None) -> None:
    """The password was right: a new session that signs nobody in, waiting for the code."""
    session.clear()
    session[HALF_WAY] = {
        "user": user.id,
        "version": user.session_version,
        "at": now.timestamp(),
        "next": next_url,
    }


def half_way(now: datetime) -> tuple[User, str | None] | None:
    """(the user whose password was right, where they were going), while the code may still
    be typed; None once nothing is pending, it is too old, or the user's sessions ended."""
    pending = session.get(HALF_WAY)
    if not isinstance(pending, dict):
        return None
    minutes = current_app.config["FDAC_SECOND_STEP_MINUTES"]
    if now.timestamp() - float(pending.get("at", 0)) > timedelta(minutes=minutes).total_seconds():
        return None
    user = db.session.get(User, pending.get("user"))
    if user is None or not user.active or user.session_version != pending.get("version"):
        return None
    return user, pending.get("next")


def renew(user: User) -> None:
    """Keep this session alive after the user's own change ended all their sessions."""
    session[VERSION] = user.session_version


def why_ended(user: User, now: datetime) -> str | None:
    """Why the signed-in session of `user` may no longer be used, or None if it may."""
    config = current_app.config
    stamp = now.timestamp()
    if session.get(VERSION) != user.session_version:
        return ENDED
    idle = timedelta(minutes=config["FDAC_IDLE_MINUTES"])
    if stamp - float(session.get(SEEN_AT, 0)) > idle.total_seconds():
        return IDLE.format(minutes=config["FDAC_IDLE_MINUTES"])
    lifetime = timedelta(hours=config["FDAC_SESSION_HOURS"])
    if stamp - float(session.get(SIGNED_IN_AT, 0)) > lifetime.total_seconds():
        return TOO_LONG.format(hours=config["FDAC_SESSION_HOURS"])
    return None


def check(user: User, now: datetime) -> bool:
    """True if the session may go on (and note this request); otherwise end it, with a message
    for the sign-in page, and return False."""
    if reason := why_ended(user, now):
        finish()
        flash(reason)
        return False
    session[SEEN_AT] = now.timestamp()
    return True


def finish() -> None:
    """End the session in this browser: signed out, and nothing else kept."""
    logout_user()
    session.clear()
