"""The timings hearings follow, each with its source, in one place."""

from datetime import timedelta

# DOMAIN.md "Hearings": NLRs fall every 14 days on the case's sitting day.
NLR_INTERVAL = timedelta(days=14)
# Issue 4: the planner books to the IRH date or this far ahead.
DEFAULT_HORIZON = timedelta(weeks=12)
# Children Act 1989 s.32(1)(a)(ii), as amended by the Children and Families Act 2014.
STATUTORY_WEEKS = 26
# Children Act 1989 s.32(5): each extension is of up to eight weeks.
MAX_EXTENSION_WEEKS = 8
# A moved NLR may come this many days earlier than planned (nearest sitting, later preferred);
# later, it may go up to the day before the next planned review, so the rhythm holds.
EARLIEST_MOVE = timedelta(days=6)
# Flags for the manager (our choices, docs/decisions/0013-hearing-planning.md).
NO_NLR_WITHIN = timedelta(days=14)
DEADLINE_WARNING = timedelta(weeks=4)
