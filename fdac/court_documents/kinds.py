"""The kinds of court document and the statuses of a version, in one table each.

A document's kind decides which hearing it belongs to and which of the author's own words it
asks for; everything else (forms, pages, the PDF) reads these tables.
"""

from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True)
class Words:
    """One of the author's own sections: the column it is kept in, its heading, its hint."""

    field: str
    label: str
    hint: str
    required: bool = True


class DocumentKind(StrEnum):
    REVIEW_REPORT = "review_report"
    HEARING_NOTE = "hearing_note"

    @property
    def info(self) -> "KindInfo":
        return KINDS[self]

    @property
    def label(self) -> str:
        return KINDS[self].label


@dataclass(frozen=True)
class KindInfo:
    label: str  # "Review report"
    start: str  # the words of the link that starts one
    words: tuple[Words, ...]


KINDS: dict[DocumentKind, KindInfo] = {
    # Drafted by the keyworker before a non-lawyer review, from the progress summary.
    DocumentKind.REVIEW_REPORT: KindInfo(
        "Review report",
        "Draft the review report",
        (
            Words("going_well", "What is going well", "In your own words, for the judge"),
            Words("not_going_well", "What is not going well", "Be specific: dates and facts"),
            Words("goals_proposed", "Goals proposed", "The goals for the next fortnight"),
        ),
    ),
    # Written after the hearing, prefilled from its recorded outcome.
    DocumentKind.HEARING_NOTE: KindInfo(
        "Note of the hearing",
        "Write the note of the hearing",
        (
            Words("attendance", "Who attended", "The parents and others present"),
            Words("note", "Note of the hearing", "What was said and decided"),
            Words("goals_agreed", "Goals set or agreed", "As agreed at the hearing"),
            Words("next_steps", "Next steps", "Who does what before the next hearing", False),
        ),
    ),
}

# Every column of the author's words, whichever kind uses it.
WORD_FIELDS: tuple[str, ...] = tuple(
    dict.fromkeys(w.field for info in KINDS.values() for w in info.words)
)


class VersionStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"  # for a manager's approval
    ISSUED = "issued"  # approved and issued to the parties: frozen for ever

    @property
    def label(self) -> str:
        return STATUSES[self][0]

    @property
    def colour(self) -> str:
        return STATUSES[self][1]


# status -> (label, GOV.UK tag colour)
STATUSES: dict[VersionStatus, tuple[str, str]] = {
    VersionStatus.DRAFT: ("Draft", "grey"),
    VersionStatus.SUBMITTED: ("Waiting for approval", "blue"),
    VersionStatus.ISSUED: ("Issued", "green"),
}
