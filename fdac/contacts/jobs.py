"""The scheduled contact job: flag each parent below their contact target two weeks running, and
each parent with no attended contact for 7 days, on the manager's home page.

Takes `today` (fdac/jobs.py passes london_today()) and is idempotent, as the hearing jobs are:
one flag per (kind, case, subject) is backed by a unique constraint, and a run that loses a race
rolls back and tries again (fdac.job_runs.commit_with_retry). Each parent has their own flag
(subject "parent:<id>"), so a family where one parent is seen and the other is not says which.
"""

import logging
from collections.abc import Sequence
from datetime import date

from sqlalchemy import select

from fdac.cases.models import Case, Parent
from fdac.cases.phases import Phase
from fdac.contacts.compliance import Compliance
from fdac.contacts.loading import compliance_for_cases
from fdac.dates import uk_date
from fdac.extensions import db
from fdac.flags import services as flags
from fdac.flags.kinds import raised_by
from fdac.job_runs import JobResult, commit_with_retry, tally

log = logging.getLogger(__name__)

BELOW_TARGET = "contacts_below_target"
NO_RECENT_CONTACT = "no_recent_contact"
CONTACT_KINDS = raised_by("raise-contact-flags")  # BELOW_TARGET and NO_RECENT_CONTACT
# Cases read and computed at a time: a big team's compliance is worked out in slices.
BATCH = 500
_WORDS = dict(
    enumerate(["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"])
)

Wanted = dict[tuple[str, int, str], str]


def _contacts(n: int) -> str:
    return f"{n} attended contact" + ("" if n == 1 else "s")


def below_target_message(name: str, compliance: Compliance) -> str:
    """'Kelly Ashworth: 1 attended contact against a target of 2, two weeks running'."""
    last = [week for week in compliance.weeks if week.complete][-1]
    run = compliance.weeks_below_target_running
    return (
        f"{name}: {_contacts(last.attended)} against a target of {last.target}, "
        f"{_WORDS.get(run, str(run))} weeks running"
    )


def no_contact_message(name: str, compliance: Compliance) -> str:
    """'Kelly Ashworth: no attended contact since 3 March 2027'."""
    if compliance.last_attended_on is None:
        return f"{name}: no attended contact recorded yet"
    return f"{name}: no attended contact since {uk_date(compliance.last_attended_on)}"


def wanted_for_cases(cases: Sequence[Case], today: date) -> Wanted:
    """{(kind, case id, "parent:<id>"): message} for the contact flags that hold today."""
    wanted: Wanted = {}
    for start in range(0, len(cases), BATCH):
        batch = cases[start : start + BATCH]
        by_case = compliance_for_cases(batch, today)
        names = dict(
            db.session.execute(
                select(Parent.id, Parent.name).where(Parent.case_id.in_([c.id for c in batch]))
            ).all()
        )
        for case_id, parents in by_case.items():
            for parent_id, compliance in parents.items():
                subject, name = f"parent:{parent_id}", names[parent_id]
                if compliance.below_target_two_weeks:
                    wanted[BELOW_TARGET, case_id, subject] = below_target_message(name, compliance)
                if compliance.no_recent_contact:
                    wanted[NO_RECENT_CONTACT, case_id, subject] = no_contact_message(
                        name, compliance
                    )
    return wanted


def team_wanted(team_id: int, today: date) -> Wanted:
    """The contact flags that hold today for every open case of one team."""
    cases = list(
        db.session.scalars(
            select(Case)
            .where(Case.team_id == team_id, Case.phase != Phase.CLOSED)
            .order_by(Case.id)
        )
    )
    return wanted_for_cases(cases, today)


def raise_team_contact_flags(team_id: int, today: date) -> int | None:
    """Bring one team's contact flags into line; how many changed (None: gave up, logged)."""

    def sync() -> int:
        # Read inside the retry: a second try sees what the other run committed.
        return flags.sync_flags(team_id, CONTACT_KINDS, team_wanted(team_id, today))

    return commit_with_retry(sync, f"contact flags of team {team_id}")


def raise_contact_flags(today: date) -> JobResult:
    """Daily: raise the contact flags whose condition holds, clear those whose condition went,
    one team at a time (a team with open flags but no open case left gets them cleared)."""
    teams = set(
        db.session.scalars(select(Case.team_id).where(Case.phase != Phase.CLOSED).distinct())
    ) | flags.teams_with_open(CONTACT_KINDS)
    return tally(
        sorted(teams), lambda team_id: raise_team_contact_flags(team_id, today), "Contact flags"
    )
