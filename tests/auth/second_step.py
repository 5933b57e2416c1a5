"""Test users' second step: a known TOTP secret, and the code a person's app would show.

The whole suite signs in with two-factor sign-in ON, through the real code page
(tests/conftest.py `PageClient.sign_in`, tests/browser/conftest.py `sign_in`).
"""

from sqlalchemy import func, select

from fdac.auth import totp
from fdac.auth.models import User
from fdac.dates import utc_now
from fdac.extensions import db

# Base32 of a fixed phrase: every test user's authenticator app "holds" this secret.
TEST_SECRET = "MZSGCYZNORSXG5BNORXXI4BNONSWG4TF"


def _user(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.lower()))


def ready(email: str) -> None:
    """Give the user the test secret, already confirmed, unless they have two-factor sign-in
    already (a user made by the factories has none)."""
    user = _user(email)
    if user is not None and not user.has_two_factor:
        user.totp_secret, user.two_factor_since = TEST_SECRET, utc_now()
        db.session.commit()


def next_code(email: str) -> str:
    """A code the server accepts now: this time step's, or the next one's when this one was
    used already (a code works once; the next step's is accepted as clock drift). When both
    were used (a third sign-in of one user within 30 seconds), the last step is forgotten."""
    user = _user(email)
    db.session.refresh(user)
    secret = user.totp_secret
    now = totp.step_at(utc_now())
    last = user.totp_last_step
    for step in (now, now + 1):
        if last is None or step > last:
            return totp.code_at(secret, step)
    user.totp_last_step = None
    db.session.commit()
    return totp.code_at(secret, now)
