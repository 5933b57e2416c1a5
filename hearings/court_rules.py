"""The court set-up's rules on numbers and days (pure: no Flask, no database, `today` passed in).

A sitting's weekday, slot length, number of slots and 6pm end; whether two sessions overlap;
why a day needs no closure; the bank holidays coming up. The sitting form asks these too, so that
every problem with the numbers shows at once.
"""

from datetime import date, datetime, time, timedelta

from fdac.dates import uk_date, uk_time
from fdac.validation import FieldError
from hearings.calendar import COURT_WEEKDAYS, WEEKDAYS, bank_holiday_name, bank_holidays

# Our choices for a sensible FDAC list (the court set-up in issue 4): a slot is
# 5 minutes to 4 hours, a sitting has up to 20 slots, and the court rises by 6pm.
SLOT_MINUTES = (5, 240)
SLOTS = (1, 20)
LATEST_END = time(18, 0)


def session_end(starts_at: time, slot_minutes: int, slots: int) -> datetime:
    """When the session's last slot ends, on a nominal day (so a late end cannot wrap)."""
    return datetime.combine(date(2000, 1, 3), starts_at) + timedelta(minutes=slot_minutes * slots)


def weekday_problem(weekday: int | None) -> str | None:
    if weekday not in COURT_WEEKDAYS:
        return "Select the day of the week the court sits"
    return None


def slot_minutes_problem(slot_minutes: int) -> str | None:
    low, high = SLOT_MINUTES
    if slot_minutes < low:
        return f"Enter a slot length of at least {low} minutes"
    if slot_minutes > high:
        return f"Slot length must be {high} minutes or fewer"
    return None


def slots_problem(slots: int) -> str | None:
    low, high = SLOTS
    if not low <= slots <= high:
        return f"Number of slots must be between {low} and {high}"
    return None


def sitting_problems(
    weekday: int | None, starts_at: time, slot_minutes: int, slots: int
) -> list[FieldError]:
    """What is wrong with a sitting's weekday, times and slots, each naming its field."""
    problems = [
        FieldError(message, name)
        for message, name in (
            (weekday_problem(weekday), "weekday"),
            (slot_minutes_problem(slot_minutes), "slot_minutes"),
            (slots_problem(slots), "slots"),
        )
        if message
    ]
    if not problems:
        end = session_end(starts_at, slot_minutes, slots)
        latest = datetime.combine(end.date(), LATEST_END)
        if end > latest:
            ends = uk_time(end.time()) if end.date() == latest.date() else "after midnight"
            problems.append(
                FieldError(
                    f"The session must end by {uk_time(LATEST_END)}: these slots end at {ends}. "
                    "Start earlier, or use fewer or shorter slots",
                    "slots",
                )
            )
    return problems


def overlaps(a_start: time, a_end: time, b_start: time, b_end: time) -> bool:
    return a_start < b_end and b_start < a_end


def closure_problem(day: date) -> str | None:
    """Why `day` needs no closure: the court never sits then anyway."""
    if day.weekday() not in COURT_WEEKDAYS:
        return (
            f"{uk_date(day)} is a {WEEKDAYS[day.weekday()]}: the court does not sit at weekends, "
            "so there is no need to close it"
        )
    holiday = bank_holiday_name(day)
    if holiday:
        return f"{uk_date(day)} is a bank holiday ({holiday}): the court is closed then anyway"
    return None


def coming_bank_holidays(today: date, days: int = 365) -> list[tuple[date, str]]:
    """England and Wales bank holidays from today for the next `days` days, in order."""
    until = today + timedelta(days=days)
    return sorted(
        (day, name)
        for day, name in bank_holidays(today.year, until.year).items()
        if today <= day < until
    )
