"""POST /api/v1/cases/{reference}/contacts: record a contact with a parent, exactly as the
contact page does, through fdac.contacts.services.record (its checks, its messages, its
commit; nothing is saved on bad input). Kinds and outcomes are fdac/contacts/kinds.py's codes.
"""

import re
from datetime import datetime, time
from typing import Annotated, Any

from flask_login import current_user
from pydantic import BeforeValidator, Field, PlainSerializer, WithJsonSchema, field_validator

from fdac.api.cases import case_for_api
from fdac.api.errors import ApiValidationError
from fdac.api.fields import LondonDateTime
from fdac.api.results.schemas import IsoDate
from fdac.api.spec import ApiModel, api
from fdac.auth.access import Action
from fdac.contacts import services
from fdac.contacts.kinds import MAX_MINUTES, MIN_MINUTES, ContactKind, ContactOutcome
from fdac.contacts.models import Contact
from fdac.dates import LONDON, utc_now
from fdac.validation import FieldErrors

_HH_MM = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
NO_NUL = r"^[^\u0000]*$"  # JSON Schema's way to say: no NUL character
TIME_MESSAGE = "Enter the time as HH:MM on the 24-hour clock, for example 14:30"

# The service names the contact page's fields; the body's names for them.
FIELD_NAMES = {"day": "on", "at_time": "at"}


def _hh_mm(value: Any) -> time:
    if isinstance(value, time):
        return value
    if not isinstance(value, str) or not _HH_MM.match(value):
        raise ValueError(TIME_MESSAGE)
    return time.fromisoformat(value)


WallClock = Annotated[
    time,
    BeforeValidator(_hh_mm),
    PlainSerializer(lambda value: value.strftime("%H:%M"), return_type=str),
    WithJsonSchema({"type": "string", "pattern": _HH_MM.pattern, "examples": ["14:30"]}),
]


class ContactIn(ApiModel):
    parent_id: int = Field(strict=True, description="The parent's id, one of the case's parents")
    on: IsoDate = Field(description="The day of the contact in England (YYYY-MM-DD)")
    at: WallClock = Field(description="UK time of the contact, HH:MM (24-hour), e.g. 14:30")
    kind: ContactKind
    outcome: ContactOutcome = Field(
        description="What happened: one the parent missed or cancelled counts against them; "
        "one the team cancelled does not"
    )
    # The limits below are documented in the schema but checked by the service, as on the
    # page: so one answer names every broken rule, with the page's messages.
    minutes: int = Field(
        strict=True,
        description=f"The length in minutes, from {MIN_MINUTES} to {MAX_MINUTES} (12 hours)",
        json_schema_extra={"minimum": MIN_MINUTES, "maximum": MAX_MINUTES},
    )
    practitioner_ids: list[Annotated[int, Field(strict=True)]] = Field(
        description="The user ids of everyone from the team who took part (at least one): "
        "the team's active practitioners and managers",
        json_schema_extra={"minItems": 1},
    )
    note: str = Field(
        "",
        description=f"Optional, {services.NOTE_MAX:,} characters or fewer",
        json_schema_extra={"maxLength": services.NOTE_MAX, "pattern": NO_NUL},
    )

    @field_validator("note")
    @classmethod
    def _no_nul(cls, value: str) -> str:
        if "\x00" in value:  # PostgreSQL cannot store it in text
            raise ValueError("Remove the NUL character (\\u0000) from the note")
        return value


class UserRef(ApiModel):
    id: int
    name: str


class ContactOut(ApiModel):
    id: int
    case: str = Field(description="The case's reference")
    parent_id: int
    on: IsoDate = Field(description="The day of the contact in England")
    at: WallClock = Field(description="UK time, HH:MM (24-hour)")
    starts_at: LondonDateTime = Field(
        description="The same moment, ISO 8601 in Europe/London with its offset"
    )
    kind: ContactKind
    kind_label: str
    outcome: ContactOutcome
    outcome_label: str
    minutes: int
    practitioners: list[UserRef]
    note: str
    recorded_by: UserRef | None = Field(description="Whose token recorded it")
    recorded_at: LondonDateTime


def contact_out(contact: Contact) -> ContactOut:
    local: datetime = contact.at.astimezone(LONDON)
    recorder = contact.recorded_by
    return ContactOut(
        id=contact.id,
        case=contact.case.reference,
        parent_id=contact.parent_id,
        on=local.date(),
        at=local.time().replace(tzinfo=None),
        starts_at=local,
        kind=contact.kind,
        kind_label=contact.kind.label,
        outcome=contact.outcome,
        outcome_label=contact.outcome.label,
        minutes=contact.minutes,
        practitioners=[UserRef(id=u.id, name=u.name) for u in contact.practitioners],
        note=contact.note,
        recorded_by=UserRef(id=recorder.id, name=recorder.name) if recorder else None,
        recorded_at=contact.created_at,
    )


@api(
    "POST",
    "/cases/{reference}/contacts",
    summary="Record a contact with a parent",
    body=ContactIn,
    answer=ContactOut,
    status=201,
    errors=(403, 404),
    tags=("contacts",),
)
def post_contact(reference: str, body: ContactIn):
    """As the contact page records it: a parent of this family, not in the future, a length
    from 1 minute to 12 hours, practitioners of this team; every broken rule is named at once
    and nothing is saved."""
    case = case_for_api(reference, Action.RECORD_CONTACT)
    entry = services.ContactEntry(
        parent_id=body.parent_id,
        day=body.on,
        at_time=body.at,
        practitioner_ids=tuple(body.practitioner_ids),
        kind=body.kind,
        minutes=body.minutes,
        outcome=body.outcome,
        note=body.note,
    )
    try:
        contact = services.record(case, entry, by=current_user, now=utc_now())
    except FieldErrors as error:  # the service has rolled back: nothing is saved
        raise ApiValidationError(
            [(FIELD_NAMES.get(e.field, e.field), e.message) for e in error.errors]
        ) from error
    return contact_out(contact), 201
