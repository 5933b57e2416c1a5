"""How a write to a case's hearings ends: committed, or refused with nothing saved.

Bad input is a FieldError naming the form field; losing a race to the database's unique rules
(two people booking the same slot) reads as one too.
"""

from typing import NoReturn

from sqlalchemy.exc import IntegrityError

from fdac.extensions import db
from fdac.validation import FieldError

RACE = "Someone else booked this day or slot just now. Check the hearings and try again"


def commit(message: str = RACE, field: str | None = "day") -> None:
    """Commit; losing a race to the database's unique rules reads as a field message."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise FieldError(message, field) from None


def refuse(error: FieldError) -> NoReturn:
    db.session.rollback()  # nothing half-written stays in the session
    raise error


def user_id(by) -> int | None:
    """Who did it, for the `..._by_id` columns (None: the system)."""
    return by.id if by is not None else None
