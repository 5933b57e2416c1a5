"""Signing in and passwords."""

import secrets

from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from fdac.auth.models import User
from fdac.dates import utc_now
from fdac.extensions import db

# Checked when the email matches nobody, so a wrong email takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not a real password")


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None: the caller gives one generic error."""
    user = find_user_by_email(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    user.last_signed_in_at = utc_now()
    db.session.commit()
    return user


def change_password(user: User, new_password: str) -> None:
    user.set_password(new_password)
    user.must_change_password = False
    db.session.commit()


def temporary_password() -> str:
    """A one-off password an admin passes on; the user must change it at next sign-in."""
    return secrets.token_urlsafe(12)
