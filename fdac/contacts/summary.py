"""What the case page and the contacts page show about compliance: per parent, the weeks
against the target, the rolling rate, missed contacts and days since the last attended one.

Figures come from the pure rule (fdac.contacts.compliance) through the one loader; this module
only words them, so templates compute nothing.
"""

from dataclasses import dataclass
from datetime import date

from fdac.cases.models import Case, Parent
from fdac.contacts.compliance import Compliance, Week
from fdac.contacts.loading import compliance_for_cases


def rate_text(attended: int, target: int) -> str:
    """'7 of 8 (88%)', or 'No target' when none was owed (halves round up)."""
    if not target:
        return "No target"
    percent = (200 * attended + target) // (2 * target)
    return f"{attended} of {target} ({percent}%)"


def days_text(days: int | None) -> str:
    if days is None:
        return "No attended contact yet"
    if days == 0:
        return "Today"
    return f"{days} day{'' if days == 1 else 's'}"


@dataclass(frozen=True)
class WeekLine:
    week: Week

    @property
    def so_far(self) -> bool:
        return not self.week.complete

    @property
    def tag_text(self) -> str:
        if not self.week.target:
            return "No target"
        if self.week.met:
            return "Met"
        return "Not met yet" if self.so_far else "Not met"

    @property
    def tag_colour(self) -> str:
        if not self.week.target:
            return "grey"
        if self.week.met:
            return "green"
        return "yellow" if self.so_far else "red"


@dataclass(frozen=True)
class ParentCompliance:
    parent: Parent
    compliance: Compliance

    @property
    def this_week(self) -> Week:
        return self.compliance.this_week

    @property
    def this_week_text(self) -> str:
        week = self.this_week
        if not week.target:
            return f"{week.attended} attended (no target)"
        return f"{week.attended} of {week.target}"

    @property
    def rolling_text(self) -> str:
        return rate_text(self.compliance.rolling_attended, self.compliance.rolling_target)

    @property
    def days_since_text(self) -> str:
        return days_text(self.compliance.days_since_attended)

    @property
    def weeks(self) -> list[WeekLine]:
        """Newest week first, as people read a table of recent weeks."""
        return [WeekLine(week) for week in reversed(self.compliance.weeks)]


@dataclass(frozen=True)
class CaseContacts:
    parents: list[ParentCompliance]
    today: date


def case_summary(case: Case, today: date) -> CaseContacts:
    """Contact compliance per parent of `case` on `today` (in the loader's few queries)."""
    by_parent = compliance_for_cases([case], today).get(case.id, {})
    return CaseContacts(
        parents=[
            ParentCompliance(parent, by_parent[parent.id])
            for parent in case.parents
            if parent.id in by_parent
        ],
        today=today,
    )
