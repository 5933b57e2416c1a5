"""How a write to a case's hearings ends: committed, or refused with nothing saved.

Bad input is a FieldError naming the form field; losing a race to the database's unique rules
(two people booking the same slot) reads as one too. A save based on a version of the hearing
someone else has changed since is a StaleEdit (fdac.versions), before anything is written or,
when two saves race past that check, at the commit.
"""

from collections.abc import Callable
from typing import NoReturn

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from fdac import versions
from fdac.extensions import db
from fdac.validation import FieldError

RACE = "Someone else booked this day or slot just now. Check the hearings and try again"


def commit(
    message: str = RACE,
    field: str | None = "day",
    *,
    record=None,
    based_on: int | None = None,
    stale: Callable[[], Exception] | None = None,
) -> None:
    """Commit; losing a race to the database's unique rules reads as a field message. Losing
    one to another save of a versioned row (its UPDATE matched no row at the version read) is
    `stale()`, or a StaleEdit of `record` at version `based_on`, or else the field message."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise FieldError(message, field) from None
    except StaleDataError:
        db.session.rollback()
        if stale is not None:
            raise stale() from None
        if record is not None:
            raise versions.stale(record, based_on) from None
        raise FieldError(message, field) from None


def refuse(error: FieldError) -> NoReturn:
    db.session.rollback()  # nothing half-written stays in the session
    raise error


def user_id(by) -> int | None:
    """Who did it, for the `..._by_id` columns (None: the system)."""
    return by.id if by is not None else None
