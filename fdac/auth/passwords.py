"""The rules every new password meets, and how passwords are hashed: one place for both.

Length does most of the work (NIST SP 800-63B 5.1.1.2: at least 8, and a check against
passwords known to be common; we ask for 12 because these accounts reach special category
data). The common list is Django's copy of Royce Williams' 20,000 common passwords
(common_passwords.LICENSE says where it comes from); it is compared case-insensitively.
"""

from functools import cache
from pathlib import Path

from werkzeug.security import generate_password_hash
from wtforms.validators import ValidationError

from fdac.validation import FieldError

MIN_PASSWORD_LENGTH = 12
# werkzeug 3's default, pinned so an upgrade cannot quietly change it: scrypt with N=2**15,
# r=8, p=1 (32 MB of memory, about a quarter of a second on a busy 2-core machine) and a
# 16-character random salt. Stored as "scrypt:32768:8:1$salt$hash"; older hashes still check.
HASH_METHOD = "scrypt:32768:8:1"
COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")

TOO_SHORT = f"Password must be {MIN_PASSWORD_LENGTH} characters or more"
TOO_COMMON = "This password is too common: choose one that is harder to guess"


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list, lowercased (read once per process)."""
    with COMMON_PASSWORDS_FILE.open(encoding="utf-8") as lines:
        return frozenset(line.rstrip("\n").lower() for line in lines if line.strip())


def is_common(password: str) -> bool:
    """True when `password`, in any case or with its spaces left out, is on the list."""
    known = common_passwords()
    lowered = password.lower()
    return lowered in known or "".join(lowered.split()) in known


def password_problem(password: str) -> str | None:
    """What is wrong with `password` as a new password, in words a person can act on."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return TOO_SHORT
    if is_common(password):
        return TOO_COMMON
    return None


def check_new_password(password: str, field: str | None = "password") -> None:
    """Raise FieldError unless `password` meets the rules (the command line and services)."""
    if problem := password_problem(password):
        raise FieldError(problem, field)


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=HASH_METHOD)


class NewPassword:
    """WTForms validator: the same rules on any form that sets a password."""

    def __call__(self, form, field) -> None:
        if field.data and (problem := password_problem(field.data)):
            raise ValidationError(problem)
