"""The scheduled testing job: flag each parent in the trial for change whose testing is overdue.

Takes `today` (fdac/jobs.py passes london_today()) and is idempotent, as the hearing and contact
jobs are: one flag per (kind, case, subject) is backed by a unique constraint, sync_flags leaves
an open flag with the same message alone, and a run that loses a race rolls back and tries again
(fdac.job_runs.commit_with_retry). One flag per parent (subject "parent:<id>"); the rule is
testing_results/overdue.py.
"""

import logging
from datetime import date

from sqlalchemy import exists, func, select
from sqlalchemy.orm import aliased

from fdac.cases.models import Case, Parent, PhaseChange
from fdac.cases.phases import Phase
from fdac.dates import uk_date
from fdac.extensions import db
from fdac.flags import services as flags
from fdac.flags.kinds import raised_by
from fdac.job_runs import JobResult, commit_with_retry, tally
from testing_results.models import TestResult
from testing_results.overdue import counting_from, is_overdue

log = logging.getLogger(__name__)

TESTS_OVERDUE = "tests_overdue"
TESTING_KINDS = raised_by("raise-testing-flags")  # TESTS_OVERDUE

Wanted = dict[tuple[str, int, str], str]


def current_results():
    """A condition on TestResult: the version that stands (no amendment replaces it)."""
    newer = aliased(TestResult)
    return ~exists().where(newer.amends_id == TestResult.id)


def overdue_message(name: str, last_collected_on: date | None, since: date) -> str:
    """'Kelly Ashworth: no test since 3 March 2027'. No count of days: the message stays the
    same from one morning to the next, so the flag (and its audit trail) does not change daily."""
    if last_collected_on is None or last_collected_on < since:
        return f"{name}: no test since the trial for change began on {uk_date(since)}"
    return f"{name}: no test since {uk_date(since)}"


def team_wanted(team_id: int, today: date) -> Wanted:
    """The overdue flags that hold today for the team's parents in the trial for change.

    Three queries whatever the number of cases: the parents, their last test, the trial's start.
    """
    in_trial = select(Case.id).where(Case.team_id == team_id, Case.phase == Phase.TRIAL_FOR_CHANGE)
    parents = db.session.execute(
        select(Parent.id, Parent.case_id, Parent.name, Case.entered_on)
        .join(Parent.case)
        .where(Parent.case_id.in_(in_trial))
        .order_by(Parent.id)
    ).all()
    last_test = dict(
        db.session.execute(
            select(TestResult.parent_id, func.max(TestResult.collected_on))
            .where(TestResult.case_id.in_(in_trial), current_results())
            .group_by(TestResult.parent_id)
        ).all()
    )
    trial_started = dict(
        db.session.execute(
            select(PhaseChange.case_id, func.max(PhaseChange.changed_on))
            .where(
                PhaseChange.case_id.in_(in_trial),
                PhaseChange.to_phase == Phase.TRIAL_FOR_CHANGE,
            )
            .group_by(PhaseChange.case_id)
        ).all()
    )
    wanted: Wanted = {}
    for parent_id, case_id, name, entered_on in parents:
        last = last_test.get(parent_id)
        since = counting_from(last, trial_started.get(case_id) or entered_on)
        if is_overdue(since, today):
            key = (TESTS_OVERDUE, case_id, f"parent:{parent_id}")
            wanted[key] = overdue_message(name, last, since)
    return wanted


def raise_team_testing_flags(team_id: int, today: date) -> int | None:
    """Bring one team's overdue flags into line; how many changed (None: gave up, logged)."""

    def sync() -> int:
        # Read inside the retry: a second try sees what the other run committed.
        return flags.sync_flags(team_id, TESTING_KINDS, team_wanted(team_id, today))

    return commit_with_retry(sync, f"testing flags of team {team_id}")


def raise_testing_flags(today: date) -> JobResult:
    """Daily: raise the overdue flags whose condition holds, clear those whose condition went
    (a test arrived, the case left the trial), one team at a time."""
    teams = set(
        db.session.scalars(
            select(Case.team_id).where(Case.phase == Phase.TRIAL_FOR_CHANGE).distinct()
        )
    ) | flags.teams_with_open(TESTING_KINDS)
    return tally(
        sorted(teams), lambda team_id: raise_team_testing_flags(team_id, today), "Testing flags"
    )
