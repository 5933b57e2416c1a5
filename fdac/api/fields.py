"""Field types and fixed codes that several API endpoints share, each written once.

Integrations rely on these: never rename a code.
"""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import PlainSerializer, WithJsonSchema

from fdac.dates import LONDON

# Bounds every id the API takes, in a path, a query or a body (fdac.db_types.MAX_ID).
from fdac.db_types import MAX_ID  # noqa: E402, F401
from hearings.kinds import HearingKind


def london_iso(moment: datetime) -> str:
    """ISO 8601 in Europe/London WITH its offset: +00:00 in winter (never 'Z'), +01:00 in BST."""
    return moment.astimezone(LONDON).isoformat(timespec="seconds")


# A moment as the API writes it (pydantic would write a zero offset as 'Z').
LondonDateTime = Annotated[
    datetime,
    PlainSerializer(london_iso, return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]

# The API's hearing kind codes, and the one table from the app's kinds to them. Kinds without
# a code of their own answer `other` (the hearing's `kind_label` keeps what it is).
HearingKindCode = Literal["first_hearing", "fcmh", "nlr", "irh", "final_hearing", "other"]
HEARING_KIND_CODES: dict[HearingKind, str] = {
    HearingKind.FIRST_HEARING: "first_hearing",
    HearingKind.FCMH: "fcmh",
    HearingKind.NLR: "nlr",
    HearingKind.IRH: "irh",
    HearingKind.FINAL_HEARING: "final_hearing",
    HearingKind.DIRECTIONS: "other",
    HearingKind.CONTESTED: "other",
    HearingKind.OTHER: "other",
}
