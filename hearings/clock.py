"""The 26-week clock of care proceedings, as a pure calculation.

Children Act 1989 s.32(1)(a)(ii): proceedings finish within 26 weeks of the day they were
issued; s.32(5): the court may extend by up to eight weeks at a time where necessary.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from fdac.validation import FieldError
from hearings.timings import DEADLINE_WARNING, MAX_EXTENSION_WEEKS, STATUTORY_WEEKS


@dataclass(frozen=True)
class Extension:
    granted_on: date
    weeks: int
    reason: str = ""


@dataclass(frozen=True)
class Clock:
    issued_on: date
    today: date
    extensions: tuple[Extension, ...]
    final_hearing_on: date | None

    @property
    def statutory_deadline(self) -> date:
        return self.issued_on + timedelta(weeks=STATUTORY_WEEKS)

    @property
    def extended_weeks(self) -> int:
        return sum(extension.weeks for extension in self.extensions)

    @property
    def deadline(self) -> date:
        """The statutory deadline moved on by every extension granted."""
        return self.statutory_deadline + timedelta(weeks=self.extended_weeks)

    @property
    def week(self) -> int:
        """The week of proceedings `today` falls in: week 1 starts on the day of issue."""
        return max(0, (self.today - self.issued_on).days // 7 + 1)

    @property
    def weeks_since_issue(self) -> int:
        return max(0, (self.today - self.issued_on).days // 7)

    @property
    def days_left(self) -> int:
        return (self.deadline - self.today).days

    @property
    def overdue(self) -> bool:
        return self.today > self.deadline

    @property
    def near_deadline(self) -> bool:
        return not self.overdue and self.days_left <= DEADLINE_WARNING.days

    @property
    def final_hearing_past_deadline(self) -> bool:
        """The warning: the final hearing is planned after the deadline extensions allow."""
        return self.final_hearing_on is not None and self.final_hearing_on > self.deadline


def clock(
    issued_on: date | None,
    today: date,
    extensions=(),
    final_hearing_on: date | None = None,
) -> Clock | None:
    """The case's clock, or None while proceedings are not yet issued."""
    if issued_on is None:
        return None
    ordered = tuple(sorted(extensions, key=lambda e: e.granted_on))
    return Clock(issued_on, today, ordered, final_hearing_on)


def check_extension(
    weeks: int | None, granted_on: date | None, issued_on: date | None, today: date, reason: str
) -> None:
    """Refuse an extension the law or the record cannot hold, naming the field."""
    if issued_on is None:
        raise FieldError("Proceedings have not been issued, so there is no clock to extend")
    if weeks is None or weeks < 1:
        raise FieldError("Enter the number of weeks, from 1 to 8", "weeks")
    if weeks > MAX_EXTENSION_WEEKS:
        # Children Act 1989 s.32(5)
        raise FieldError(f"An extension can be at most {MAX_EXTENSION_WEEKS} weeks", "weeks")
    if granted_on is None:
        raise FieldError("Enter the date the extension was granted", "granted_on")
    if granted_on < issued_on:
        raise FieldError(
            "The date granted must be on or after the day proceedings were issued", "granted_on"
        )
    if granted_on > today:
        raise FieldError("The date granted must be today or in the past", "granted_on")
    if not reason.strip():
        raise FieldError("Enter the reason the court gave for the extension", "reason")
