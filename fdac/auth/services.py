"""Signing in and out, locks after repeated failures, and passwords."""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from fdac.auth import trail
from fdac.auth.models import User
from fdac.auth.passwords import hash_password
from fdac.extensions import db

# Checked when the email matches nobody, so a wrong email takes as long as a wrong password.
_DUMMY_HASH = hash_password("not a real password at all")


@dataclass(frozen=True)
class SignInRules:
    max_failures: int  # wrong passwords (or codes) in a row that lock the account
    lock_for: timedelta
    # A code is asked after the password (fdac.auth.two_factor): a correct password alone
    # then clears no failure, so guessing codes between correct passwords still locks.
    second_step: bool = False


@dataclass(frozen=True)
class Attempt:
    """What became of one attempt: the user signed in, or None and whether it was a lock."""

    user: User | None
    locked: bool = False


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def attempt_sign_in(email: str, password: str, now: datetime, rules: SignInRules) -> Attempt:
    """Check one attempt to sign in, count and audit it, and commit.

    A locked account is refused even with the right password, and says so exactly as the
    rate limiter does for any email typed too often, so a lock tells nobody that the account
    exists. The password is checked in every case, so every refusal takes as long.
    """
    user = find_user_by_email(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        trail.failed(email, None, "unknown email")
        db.session.commit()
        return Attempt(None)
    correct = user.check_password(password)
    if user.is_locked(now):
        trail.failed(email, user, "locked")
        db.session.commit()
        return Attempt(None, locked=True)
    if not correct or not user.active:
        count_failure(user, email, "inactive" if correct else "wrong password", now, rules)
        db.session.commit()
        return Attempt(None)
    if not rules.second_step:
        signed_in_now(user, now)
        db.session.commit()
    return Attempt(user)


def signed_in_now(user: User, now: datetime) -> None:
    """Every check passed: the failures count from nothing again."""
    user.failed_sign_ins, user.locked_until = 0, None
    user.last_signed_in_at = now


def count_failure(user: User, email: str, reason: str, now: datetime, rules: SignInRules):
    trail.failed(email, user, reason)
    user.failed_sign_ins = (user.failed_sign_ins or 0) + 1
    if user.failed_sign_ins >= rules.max_failures:
        user.failed_sign_ins, user.locked_until = 0, now + rules.lock_for
        trail.locked(user, user.locked_until)


def record_sign_in(user: User) -> None:
    """Audit a sign-in once the new session exists (the actor is now the user)."""
    trail.signed_in(user)
    db.session.commit()


def sign_out(user: User) -> None:
    """Sign `user` out everywhere: every cookie of theirs stops working."""
    trail.signed_out(user)
    user.end_sessions()
    db.session.commit()


def end_all_sessions(user: User) -> None:
    """An admin's "End all sessions": the user must sign in again on every device."""
    user.end_sessions()
    db.session.commit()


def unlock(user: User) -> None:
    user.failed_sign_ins, user.locked_until = 0, None
    db.session.commit()


def change_password(user: User, new_password: str) -> None:
    """Set the user's own new password (FieldError if it breaks the rules). Their other
    sessions end; the caller renews the current one (fdac.auth.sessions.renew)."""
    user.set_password(new_password)
    user.must_change_password = False
    db.session.commit()


def temporary_password() -> str:
    """A one-off password an admin passes on; the user must change it at next sign-in."""
    return secrets.token_urlsafe(12)
