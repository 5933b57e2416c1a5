"""Compliance for many cases at once: a handful of set-based queries, then the pure rule.

The case page asks for one case, the caseload and the morning job for hundreds; the number of
queries stays the same (no query per case or per parent).
"""

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select

from fdac.cases.models import Case, Parent, PhaseChange
from fdac.cases.phases import Phase
from fdac.contacts.compliance import WEEKS_SHOWN, Compliance, ContactRow, compliance, week_start
from fdac.contacts.kinds import ContactOutcome
from fdac.contacts.models import CaseContactTarget, Contact, TeamContactTarget
from fdac.contacts.targets import targets_for, weekly_target
from fdac.dates import LONDON
from fdac.extensions import db


def _since_instant(day: date) -> datetime:
    # A day early in UTC: the London day starts an hour before UTC's in summer.
    return datetime.combine(day - timedelta(days=1), time(0), UTC)


def team_targets(team_ids: Sequence[int]) -> dict[int, dict[Phase, int]]:
    rows = db.session.execute(
        select(
            TeamContactTarget.team_id, TeamContactTarget.phase, TeamContactTarget.per_week
        ).where(TeamContactTarget.team_id.in_(team_ids))
    )
    targets: dict[int, dict[Phase, int]] = defaultdict(dict)
    for team_id, phase, per_week in rows:
        targets[team_id][phase] = per_week
    return targets


def case_targets(cases: Sequence[Case]) -> dict[int, dict[Phase, int]]:
    """Per case: the target per phase (the case's own, else its team's, else the default)."""
    by_team = team_targets(sorted({case.team_id for case in cases}))
    own: dict[int, dict[Phase, int]] = defaultdict(dict)
    for case_id, phase, per_week in db.session.execute(
        select(
            CaseContactTarget.case_id, CaseContactTarget.phase, CaseContactTarget.per_week
        ).where(CaseContactTarget.case_id.in_([case.id for case in cases]))
    ):
        own[case_id][phase] = per_week
    return {case.id: targets_for(by_team.get(case.team_id, {}), own[case.id]) for case in cases}


def phase_histories(case_ids: Sequence[int]) -> dict[int, list[tuple[date, Phase]]]:
    histories: dict[int, list[tuple[date, Phase]]] = defaultdict(list)
    for case_id, changed_on, phase in db.session.execute(
        select(PhaseChange.case_id, PhaseChange.changed_on, PhaseChange.to_phase)
        .where(PhaseChange.case_id.in_(case_ids))
        .order_by(PhaseChange.case_id, PhaseChange.changed_on, PhaseChange.id)
    ):
        histories[case_id].append((changed_on, phase))
    return histories


def contact_rows(case_ids: Sequence[int], since: date) -> dict[int, list[ContactRow]]:
    """Per parent: their contacts from `since`, plus their last attended one if older (so
    "days since the last attended contact" is right however long ago it was)."""
    rows: dict[int, list[ContactRow]] = defaultdict(list)
    for parent_id, at, outcome in db.session.execute(
        select(Contact.parent_id, Contact.at, Contact.outcome).where(
            Contact.case_id.in_(case_ids), Contact.at >= _since_instant(since)
        )
    ):
        rows[parent_id].append(ContactRow(at.astimezone(LONDON).date(), outcome))
    for parent_id, at in db.session.execute(
        select(Contact.parent_id, func.max(Contact.at))
        .where(
            Contact.case_id.in_(case_ids),
            Contact.outcome == ContactOutcome.ATTENDED,
            Contact.at < _since_instant(since),
        )
        .group_by(Contact.parent_id)
    ):
        rows[parent_id].append(ContactRow(at.astimezone(LONDON).date(), ContactOutcome.ATTENDED))
    return rows


def compliance_for_cases(
    cases: Sequence[Case], today: date, weeks: int = WEEKS_SHOWN
) -> dict[int, dict[int, Compliance]]:
    """{case id: {parent id: Compliance}} for every parent of `cases`, in five queries."""
    if not cases:
        return {}
    case_ids = [case.id for case in cases]
    targets = case_targets(cases)
    histories = phase_histories(case_ids)
    first_week = week_start(today) - timedelta(weeks=weeks - 1)
    rows = contact_rows(case_ids, first_week)
    parents: dict[int, list[int]] = defaultdict(list)
    for case_id, parent_id in db.session.execute(
        select(Parent.case_id, Parent.id).where(Parent.case_id.in_(case_ids)).order_by(Parent.id)
    ):
        parents[case_id].append(parent_id)
    result = {}
    for case in cases:
        target = weekly_target(histories[case.id], targets[case.id])
        result[case.id] = {
            parent_id: compliance(
                rows.get(parent_id, ()), target, today, weeks=weeks, since=case.entered_on
            )
            for parent_id in parents[case.id]
        }
    return result
