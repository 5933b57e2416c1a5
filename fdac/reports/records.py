"""The case's contacts and hearings of a period, as the exports list them (two queries)."""

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from fdac.cases.models import Case
from fdac.contacts.models import Contact
from fdac.dates import LONDON
from fdac.extensions import db
from hearings.models import Hearing


def _london_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), LONDON).astimezone(UTC)


def period_contacts(case: Case, first: date, last: date) -> list[Contact]:
    """Every contact of the case on a London day from `first` to `last`, oldest first."""
    return list(
        db.session.scalars(
            select(Contact)
            .where(
                Contact.case_id == case.id,
                Contact.at >= _london_midnight(first),
                Contact.at < _london_midnight(last + timedelta(days=1)),
            )
            .options(joinedload(Contact.parent), selectinload(Contact.practitioners))
            .order_by(Contact.at, Contact.id)
        ).unique()
    )


def period_hearings(case: Case, first: date, last: date) -> list[Hearing]:
    """Every hearing of the case listed from `first` to `last`, cancelled ones too."""
    return list(
        db.session.scalars(
            select(Hearing)
            .where(Hearing.case_id == case.id, Hearing.day >= first, Hearing.day <= last)
            .options(joinedload(Hearing.judge), selectinload(Hearing.outcomes))
            .order_by(Hearing.day, Hearing.starts_at, Hearing.id)
        ).unique()
    )
