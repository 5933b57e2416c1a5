"""Contact compliance, as a pure calculation: attended contacts a week against the target.

Rows and `today` go in (each contact's calendar day already in Europe/London: the caller turns
the stored instant into a London date, so a week that crosses a clock change counts each
contact once); weeks run Monday to Sunday. No clock reads, no database.
"""

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from fdac.contacts.kinds import ContactOutcome

WEEKS_SHOWN = 12  # issue 5: the last 12 weeks on the case page
ROLLING_WEEKS = 4  # issue 5: the rolling 4-week rate
BELOW_TARGET_RUN = 2  # flag: below target two complete weeks running
NO_CONTACT_DAYS = 7  # flag: no attended contact for 7 days
_WEEK = timedelta(weeks=1)


@dataclass(frozen=True)
class ContactRow:
    day: date  # the London calendar day of the contact
    outcome: ContactOutcome


@dataclass(frozen=True)
class Week:
    starts_on: date  # a Monday
    target: int
    attended: int
    did_not_attend: int  # missed or cancelled by the parent: counts against them
    cancelled_by_team: int
    complete: bool  # False for the week `today` is in

    @property
    def ends_on(self) -> date:
        return self.starts_on + timedelta(days=6)

    @property
    def met(self) -> bool:
        return self.attended >= self.target

    @property
    def shortfall(self) -> int:
        return max(0, self.target - self.attended)


@dataclass(frozen=True)
class Compliance:
    weeks: tuple[Week, ...]  # oldest first; the last is the week `today` is in
    rolling_attended: int
    rolling_target: int
    did_not_attend: int  # over the weeks shown
    cancelled_by_parent: int  # over the weeks shown (part of did_not_attend's "against")
    last_attended_on: date | None
    days_since_attended: int | None
    weeks_below_target_running: int  # complete weeks, counting back from the last one
    # Days since the family entered FDAC (`since`), when known: a family that entered three
    # days ago and has not been seen yet has not gone 7 days without contact.
    days_since_entry: int | None = None

    @property
    def rolling_rate(self) -> float | None:
        """Attended contacts over the target in the last 4 complete weeks (None: no target)."""
        return self.rolling_attended / self.rolling_target if self.rolling_target else None

    @property
    def this_week(self) -> Week:
        return self.weeks[-1]

    @property
    def below_target_two_weeks(self) -> bool:
        return self.weeks_below_target_running >= BELOW_TARGET_RUN

    @property
    def no_recent_contact(self) -> bool:
        """No attended contact for 7 days or more (none yet: 7 days since entry, when known),
        while a target asks for contact."""
        expects_contact = any(week.target for week in self.weeks[-2:])
        if not expects_contact:
            return False
        if self.days_since_attended is not None:
            return self.days_since_attended >= NO_CONTACT_DAYS
        return self.days_since_entry is None or self.days_since_entry >= NO_CONTACT_DAYS


def week_start(day: date) -> date:
    """The Monday of the week `day` falls in."""
    return day - timedelta(days=day.weekday())


def compliance(
    contacts: Iterable[ContactRow],
    target_for_week: Callable[[date], int],
    today: date,
    *,
    weeks: int = WEEKS_SHOWN,
    since: date | None = None,
) -> Compliance:
    """Weekly attended contacts against the target for the `weeks` up to `today`'s week.

    `since` (the day the case entered FDAC) leaves out the weeks before it: no target is owed
    before the family was in the programme. A contact in the future is not counted. The week
    `today` is in is always shown (even for an entry date still to come), so `this_week` exists.
    """
    current = week_start(today)
    first = current - (max(weeks, 1) - 1) * _WEEK
    if since is not None:
        first = min(max(first, week_start(since)), current)
    counts: dict[tuple[date, ContactOutcome], int] = Counter()
    last_attended = None
    for contact in contacts:
        if contact.day > today:
            continue
        if contact.outcome.attended and (last_attended is None or contact.day > last_attended):
            last_attended = contact.day
        if contact.day >= first:
            counts[(week_start(contact.day), contact.outcome)] += 1

    shown = []
    monday = first
    while monday <= current:
        shown.append(
            Week(
                starts_on=monday,
                target=target_for_week(monday),
                attended=counts[(monday, ContactOutcome.ATTENDED)],
                did_not_attend=counts[(monday, ContactOutcome.DID_NOT_ATTEND)]
                + counts[(monday, ContactOutcome.CANCELLED_BY_PARENT)],
                cancelled_by_team=counts[(monday, ContactOutcome.CANCELLED_BY_TEAM)],
                complete=monday < current,
            )
        )
        monday += _WEEK

    complete = [week for week in shown if week.complete]
    rolling = complete[-ROLLING_WEEKS:]
    running = 0
    for week in reversed(complete):
        if week.met:
            break
        running += 1
    return Compliance(
        weeks=tuple(shown),
        rolling_attended=sum(week.attended for week in rolling),
        rolling_target=sum(week.target for week in rolling),
        did_not_attend=sum(week.did_not_attend for week in shown),
        cancelled_by_parent=sum(
            n for (_, outcome), n in counts.items() if outcome is ContactOutcome.CANCELLED_BY_PARENT
        ),
        last_attended_on=last_attended,
        days_since_attended=(today - last_attended).days if last_attended else None,
        weeks_below_target_running=running,
        days_since_entry=(today - since).days if since is not None else None,
    )
