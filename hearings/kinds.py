"""The kinds of hearing and what each one is, in one table. Source: shared/DOMAIN.md, "Hearings"."""

from dataclasses import dataclass
from enum import StrEnum


class HearingKind(StrEnum):
    FIRST_HEARING = "first_hearing"
    FCMH = "fcmh"
    NLR = "nlr"
    IRH = "irh"
    FINAL_HEARING = "final_hearing"
    DIRECTIONS = "directions"
    CONTESTED = "contested"
    OTHER = "other"

    @property
    def label(self) -> str:
        return KINDS[self].label

    @property
    def short(self) -> str:
        return KINDS[self].short

    @property
    def lawyers_present(self) -> bool:
        return KINDS[self].lawyers_present


class HearingStatus(StrEnum):
    PLANNED = "planned"
    HELD = "held"  # its outcome (attendance, goals, note) is recorded
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return {"planned": "Planned", "held": "Held", "cancelled": "Cancelled"}[self.value]


@dataclass(frozen=True)
class KindInfo:
    label: str
    short: str  # for calendars and feeds, where space is tight
    lawyers_present: bool
    default_minutes: int  # how long the court lists it for unless told otherwise


# Only NLRs are held without lawyers; they are the fortnightly 20 to 30 minute reviews.
KINDS: dict[HearingKind, KindInfo] = {
    HearingKind.FIRST_HEARING: KindInfo("First hearing", "First hearing", True, 60),
    HearingKind.FCMH: KindInfo("Further case management hearing (FCMH)", "FCMH", True, 60),
    HearingKind.NLR: KindInfo("Non-lawyer review (NLR)", "NLR", False, 30),
    HearingKind.IRH: KindInfo("Issues resolution hearing (IRH)", "IRH", True, 60),
    HearingKind.FINAL_HEARING: KindInfo("Final hearing", "Final hearing", True, 180),
    HearingKind.DIRECTIONS: KindInfo("Directions hearing", "Directions", True, 30),
    HearingKind.CONTESTED: KindInfo("Contested hearing", "Contested", True, 180),
    HearingKind.OTHER: KindInfo("Other hearing", "Hearing", True, 60),
}
