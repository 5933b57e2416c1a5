"""Two-factor sign-in: the code asked after the password, its set-up at the first sign-in,
recovery codes, and an admin's reset (docs/decisions/0033-two-factor.md).

Each function loads what it needs, calls the rules in fdac.auth.totp, writes, audits through
fdac.auth.trail and commits.
"""

from dataclasses import dataclass
from datetime import datetime

from fdac.auth import totp, trail
from fdac.auth.models import RecoveryCode, User
from fdac.auth.services import SignInRules, count_failure, signed_in_now
from fdac.extensions import db


@dataclass(frozen=True)
class SecondStep:
    """What became of one code typed: signed in (and how), or refused (and whether locked)."""

    ok: bool
    locked: bool = False
    by_recovery_code: bool = False


def prepare(user: User) -> None:
    """After a correct password, give a person without two-factor sign-in the secret they set
    up next. A secret made before and never confirmed is kept: they may have scanned it."""
    if user.has_two_factor or user.totp_secret is not None:
        return
    user.totp_secret = totp.new_secret()
    trail.two_factor_set_up(user)
    db.session.commit()


def check_code(user: User, typed: str, now: datetime, rules: SignInRules) -> SecondStep:
    """The second step: a code from the app (each time step once) or an unused recovery code.

    A wrong one counts toward the lock exactly as a wrong password does; a locked account is
    refused whatever is typed. The user's row is locked while the code is checked, so the same
    code sent twice at once signs in once (SQLite: every POST begins IMMEDIATE).
    """
    db.session.refresh(user, with_for_update=True)
    if user.is_locked(now):
        trail.failed(user.email, user, "locked")
        db.session.commit()
        return SecondStep(False, locked=True)
    step = totp.matching_step(user.totp_secret or "", typed, now, user.totp_last_step)
    if step is not None:
        user.totp_last_step = step
        signed_in_now(user, now)
        db.session.commit()
        return SecondStep(True)
    if _spend_recovery_code(user, typed, now):
        trail.recovery_code_used(user, unused_recovery_codes(user))
        signed_in_now(user, now)
        db.session.commit()
        return SecondStep(True, by_recovery_code=True)
    count_failure(user, user.email, "wrong code", now, rules)
    db.session.commit()
    return SecondStep(False, locked=user.is_locked(now))


def confirm_set_up(user: User, typed: str, now: datetime) -> list[str] | None:
    """Turn two-factor sign-in on once the person types a current code from their app; the
    ten recovery codes to show them once, or None if the code is wrong (audited, not counted
    toward the lock: whoever is here has seen the secret)."""
    db.session.refresh(user, with_for_update=True)
    step = totp.matching_step(user.totp_secret or "", typed, now, None)
    if step is None:
        trail.failed(user.email, user, "wrong code at set-up")
        db.session.commit()
        return None
    user.two_factor_since, user.totp_last_step = now, step
    codes = _replace_recovery_codes(user)
    trail.two_factor_on(user)
    signed_in_now(user, now)
    db.session.commit()
    return codes


def renew_recovery_codes(user: User) -> list[str]:
    """Ten new recovery codes for the person; every earlier one stops working."""
    codes = _replace_recovery_codes(user)
    trail.recovery_codes_renewed(user)
    db.session.commit()
    return codes


def reset(user: User, by: User) -> None:
    """An admin's reset (a lost phone and lost codes): the secret and the codes go, every
    session of the user ends, and they set two-factor sign-in up again at their next sign-in."""
    user.totp_secret = user.two_factor_since = user.totp_last_step = None
    user.recovery_codes.clear()
    user.end_sessions()
    trail.two_factor_reset(user, by)
    db.session.commit()


def unused_recovery_codes(user: User) -> int:
    return sum(1 for code in user.recovery_codes if code.used_at is None)


def _replace_recovery_codes(user: User) -> list[str]:
    codes = totp.new_recovery_codes()
    user.recovery_codes.clear()
    db.session.flush()  # the old rows go before the new ones arrive
    user.recovery_codes.extend(RecoveryCode(code_hash=totp.hash_recovery_code(c)) for c in codes)
    return codes


def _spend_recovery_code(user: User, typed: str, now: datetime) -> bool:
    if totp.looks_like_code(totp.clean(typed)):
        return False  # six digits are a code from the app, never a recovery code
    for code in user.recovery_codes:
        if code.used_at is None and totp.is_recovery_code(typed, code.code_hash):
            code.used_at = now
            return True
    return False
