"""The scheduled hearing jobs: keep every plan extended to the horizon; raise the manager's flags.

Both take `today` (fdac/jobs.py passes london_today()) and are idempotent: running one twice, or
two schedulers at once, leaves the same rows as running it once. Unique constraints back that
(one NLR per case per rhythm date, one flag per kind, case and subject); a job that loses a race
rolls back and tries again, and the second try sees the winner's rows and writes nothing.
"""

import logging
from collections import defaultdict
from datetime import date

from sqlalchemy import select

from fdac.cases.models import Case
from fdac.cases.phases import Phase
from fdac.dates import uk_date
from fdac.extensions import db
from fdac.flags import services as flags
from fdac.flags.kinds import raised_by
from fdac.job_runs import JobResult, commit_with_retry, tally
from hearings import planning
from hearings.clock import Extension as ClockExtension
from hearings.clock import clock
from hearings.kinds import HearingKind, HearingStatus
from hearings.models import Extension, Hearing
from hearings.timings import NO_NLR_WITHIN

log = logging.getLogger(__name__)

COMPUTED_KINDS = raised_by("raise-flags")
# Reviews are expected while the family is in the trial for change or the final stage.
REVIEW_PHASES = (Phase.TRIAL_FOR_CHANGE, Phase.FINAL_STAGE)


def extend_plans(today: date) -> JobResult:
    """Nightly: plan every active case's reviews up to its IRH or the horizon, one case a commit."""
    cases = [(case.id, case.team_id) for case in planning.cases_to_plan()]
    courts = {}
    for _, team_id in cases:
        if team_id not in courts:
            courts[team_id] = planning.court_for(team_id)
    team_of = dict(cases)

    def plan_one(case_id: int) -> int:
        case = db.session.get(Case, case_id)
        if case is None:  # removed since the list was read
            return 0
        plan = planning.plan_reviews(case, today, court=courts[team_of[case_id]])
        return len(plan.booked) + len(plan.moved)

    return tally(
        [case_id for case_id, _ in cases],
        lambda case_id: commit_with_retry(lambda: plan_one(case_id), f"planning case {case_id}"),
        "Review plans",
    )


def raise_flags(today: date) -> JobResult:
    """Daily: raise the computed flags whose condition holds, clear those whose condition went.

    A handful of queries read every active case's hearings and clock at once; the flags are
    then brought into line one team at a time (one more query and one commit per team).
    """
    wanted = wanted_flags(today)
    teams = set(wanted) | flags.teams_with_open(COMPUTED_KINDS)
    return tally(
        sorted(teams),
        lambda team_id: commit_with_retry(
            lambda: flags.sync_flags(team_id, COMPUTED_KINDS, wanted.get(team_id, {})),
            f"flags of team {team_id}",
        ),
        "Hearing flags",
    )


def wanted_flags(today: date) -> dict[int, dict[tuple[str, int, str], str]]:
    """team id -> {(kind, case id, subject): message} for every computed flag that holds today."""
    active = select(Case.id).where(Case.phase != Phase.CLOSED)
    cases = db.session.execute(
        select(Case.id, Case.team_id, Case.phase, Case.issued_on).where(Case.phase != Phase.CLOSED)
    ).all()
    with_review_soon = set(
        db.session.scalars(
            select(Hearing.case_id)
            .where(
                Hearing.case_id.in_(active),
                Hearing.kind == HearingKind.NLR,
                Hearing.status != HearingStatus.CANCELLED,
                Hearing.day.between(today, today + NO_NLR_WITHIN),
            )
            .distinct()
        )
    )
    # Reviews end at the IRH (the planner books none after it): no review soon is expected then.
    reviews_ending = set(
        db.session.scalars(
            select(Hearing.case_id)
            .where(
                Hearing.case_id.in_(active),
                Hearing.kind == HearingKind.IRH,
                Hearing.status != HearingStatus.CANCELLED,
                Hearing.day <= today + NO_NLR_WITHIN,
            )
            .distinct()
        )
    )
    # Planned and in the past: nobody has recorded what happened (held) or cancelled it.
    without_outcome = db.session.execute(
        select(Hearing.id, Hearing.case_id, Hearing.kind, Hearing.day)
        .where(
            Hearing.case_id.in_(active),
            Hearing.status == HearingStatus.PLANNED,
            Hearing.day < today,
        )
        .order_by(Hearing.day, Hearing.id)
    ).all()
    extensions = defaultdict(list)
    for case_id, granted_on, weeks in db.session.execute(
        select(Extension.case_id, Extension.granted_on, Extension.weeks).where(
            Extension.case_id.in_(active)
        )
    ):
        extensions[case_id].append(ClockExtension(granted_on, weeks))
    finals = defaultdict(list)
    for hearing_id, case_id, day in db.session.execute(
        select(Hearing.id, Hearing.case_id, Hearing.day)
        .where(
            Hearing.case_id.in_(active),
            Hearing.kind == HearingKind.FINAL_HEARING,
            Hearing.status == HearingStatus.PLANNED,
            Hearing.day >= today,
        )
        .order_by(Hearing.day, Hearing.id)
    ):
        finals[case_id].append((hearing_id, day))

    wanted: dict[int, dict[tuple[str, int, str], str]] = defaultdict(dict)
    team_of = {}
    for case_id, team_id, phase, issued_on in cases:
        team_of[case_id] = team_id
        mine = wanted[team_id]
        reviews_expected = phase in REVIEW_PHASES and case_id not in reviews_ending
        if reviews_expected and case_id not in with_review_soon:
            mine["no_nlr_soon", case_id, ""] = (
                f"No review is booked in the next {NO_NLR_WITHIN.days} days"
            )
        case_clock = clock(issued_on, today, extensions[case_id])
        if case_clock is None:
            continue
        deadline = case_clock.deadline
        if case_clock.near_deadline:
            mine["deadline_near", case_id, deadline.isoformat()] = (
                f"Proceedings must finish by {uk_date(deadline)}"
            )
        for hearing_id, day in finals[case_id]:
            if day > deadline:
                mine["final_past_deadline", case_id, f"hearing:{hearing_id}"] = (
                    f"The final hearing on {uk_date(day)} is after the deadline of "
                    f"{uk_date(deadline)}, and no extension covers it"
                )
    for hearing_id, case_id, kind, day in without_outcome:
        if case_id not in team_of:  # closed between the two reads
            continue
        wanted[team_of[case_id]]["outcome_missing", case_id, f"hearing:{hearing_id}"] = (
            f"The {kind.short} on {uk_date(day)} has no outcome recorded"
        )
    return {team_id: mine for team_id, mine in wanted.items() if mine}
