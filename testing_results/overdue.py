"""When a parent's testing is overdue: the rule the "tests overdue" flag and the dashboard read.

Pure (no Flask, no database). Source: DOMAIN.md, "Testing": during the trial for change the team
tests the parent every time it sees them, and it sees them two or three times a week. So a week
without any test at all (not even one recorded as missed, refused or unable to provide) means at
least two visits passed with nothing recorded: the manager should ask why. Counted from the later
of the last test and the day the trial for change began, so a family just entering the trial
gets the same week's grace.
"""

from datetime import date, timedelta

# Overdue when no test of any kind was collected for more than this many days.
TEST_OVERDUE_DAYS = 7


def counting_from(last_collected_on: date | None, trial_started_on: date) -> date:
    """The day the gap is measured from: the last test, or the start of the trial if later."""
    if last_collected_on is None:
        return trial_started_on
    return max(last_collected_on, trial_started_on)


def is_overdue(since: date, today: date) -> bool:
    """True when more than TEST_OVERDUE_DAYS days have passed since `since` (day 8 onwards)."""
    return today - since > timedelta(days=TEST_OVERDUE_DAYS)
