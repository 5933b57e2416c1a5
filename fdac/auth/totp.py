"""Time-based one-time codes (RFC 6238, through pyotp) and recovery codes: plain values only.

Nothing here touches Flask or the database, so the rules are tested with plain values and the
services (fdac.auth.two_factor) only load, call and store.
"""

import hmac
import secrets
from datetime import datetime

import pyotp
import segno
from werkzeug.security import check_password_hash, generate_password_hash

ISSUER = "FDAC Manager"
STEP_SECONDS = 30  # RFC 6238's default, what every authenticator app uses
# A code is accepted one step either side of now: a phone's clock a little off, or a code
# typed as it changed. Never a step at or before the last one used (single use).
DRIFT_STEPS = 1
RECOVERY_CODES = 10
# Recovery codes: 12 characters from 31 that cannot be mistaken for one another (no 0/o, 1/l/i):
# 59 bits each. Below ASVS 2.6.2's 112 bits, so each is stored salted and hashed.
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_RECOVERY_LENGTH = 12
_RECOVERY_HASH = "pbkdf2:sha256:20000"  # ten are checked at a time: cheap, salted, one-way


def new_secret() -> str:
    """A new shared secret: 32 base32 characters, 160 bits (RFC 4226's recommended length)."""
    return pyotp.random_base32(32)


def step_at(now: datetime) -> int:
    """The RFC 6238 time step (T) that holds the instant `now`."""
    return int(now.timestamp()) // STEP_SECONDS


def code_at(secret: str, step: int) -> str:
    """The six-digit code of `secret` for time step `step` (what the person's app shows)."""
    return pyotp.TOTP(secret, interval=STEP_SECONDS).at(step * STEP_SECONDS)


def looks_like_code(typed: str) -> bool:
    return len(typed) == 6 and typed.isdigit()


def matching_step(secret: str, typed: str, now: datetime, last_step: int | None) -> int | None:
    """The time step whose code `typed` is, within the drift allowed and later than
    `last_step` (a code, once used, is refused for the rest of its window), or None."""
    typed = clean(typed)
    if not looks_like_code(typed):
        return None
    current = step_at(now)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(code_at(secret, step), typed):
            return step
    return None


def clean(typed: str) -> str:
    """What was typed, without the spaces and hyphens people copy with a code, in lower case."""
    return "".join(ch for ch in (typed or "") if ch not in " -\t").lower()


def provisioning_uri(secret: str, account: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret, interval=STEP_SECONDS).provisioning_uri(
        name=account, issuer_name=ISSUER
    )


def qr_data_uri(uri: str) -> str:
    """The QR code of `uri` as an SVG data URI, made here: no request leaves the server, and
    the page's CSP allows `img-src data:`."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=4)


def grouped(secret: str) -> str:
    """The secret in groups of four, easier to type into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def new_recovery_codes() -> list[str]:
    """Ten new codes shown once, as `abcd-efgh-jkmn`."""
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
        codes.append("-".join(raw[i : i + 4] for i in range(0, _RECOVERY_LENGTH, 4)))
    return codes


def hash_recovery_code(code: str) -> str:
    return generate_password_hash(clean(code), method=_RECOVERY_HASH)


def is_recovery_code(typed: str, code_hash: str) -> bool:
    typed = clean(typed)
    return len(typed) == _RECOVERY_LENGTH and check_password_hash(code_hash, typed)
