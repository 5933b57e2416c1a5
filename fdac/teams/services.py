"""Team settings: the team's contact targets per phase and its graduation criteria.

Both start from the programme's defaults (fdac.contacts.targets.DEFAULT_TARGETS,
fdac.graduations.criteria.DEFAULT_CRITERIA) until a manager changes them; every change is
audited (the models are) and remembers who made it and when. Nothing here commits.

No lost updates (fdac.versions): both forms carry the team's version, which each save that
changes a setting moves on (`bump`); a form opened before another save is refused
(`check`), showing the other change from the trail of the settings' own rows (`stale`).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from fdac import versions
from fdac.audit.models import AuditEvent
from fdac.auth.models import User
from fdac.cases.phases import Phase
from fdac.contacts.models import TeamContactTarget
from fdac.contacts.targets import DEFAULT_TARGETS, MAX_TARGET
from fdac.dates import utc_now
from fdac.extensions import db
from fdac.graduations.criteria import DEFAULT_CRITERIA, MAX_CLEAN_WEEKS, Criteria
from fdac.graduations.models import GraduationCriteria
from fdac.teams.models import Team
from fdac.validation import FieldError, FieldErrors

# No contact is owed once proceedings have ended: a closed case has no target to set.
TARGET_PHASES = tuple(phase for phase in DEFAULT_TARGETS if phase is not Phase.CLOSED)


@dataclass(frozen=True)
class Change:
    """Who last changed a setting, and when."""

    by: str  # the person's name ("Someone no longer listed" if they are gone)
    at: datetime


@dataclass(frozen=True)
class PhaseTarget:
    phase: Phase
    per_week: int
    default: int  # the programme's default for the phase
    changed: Change | None  # None: the team has never set its own

    @property
    def is_default(self) -> bool:
        return self.changed is None


@dataclass(frozen=True)
class TeamCriteria:
    criteria: Criteria
    changed: Change | None  # None: the programme's defaults


def _names(user_ids) -> dict[int, str]:
    ids = {user_id for user_id in user_ids if user_id is not None}
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())


def _change(names: dict[int, str], by_id: int | None, at: datetime) -> Change:
    return Change(names.get(by_id, "Someone no longer listed"), at)


def _team_target_rows(team_id: int) -> dict[Phase, TeamContactTarget]:
    return {
        row.phase: row
        for row in db.session.scalars(
            select(TeamContactTarget).where(TeamContactTarget.team_id == team_id)
        )
    }


def contact_targets(team_id: int) -> list[PhaseTarget]:
    """The team's target per phase (its own where set, else the default), in journey order."""
    rows = _team_target_rows(team_id)
    names = _names(row.set_by_id for row in rows.values())
    return [
        PhaseTarget(
            phase=phase,
            per_week=rows[phase].per_week if phase in rows else DEFAULT_TARGETS[phase],
            default=DEFAULT_TARGETS[phase],
            changed=_change(names, rows[phase].set_by_id, rows[phase].set_at)
            if phase in rows
            else None,
        )
        for phase in TARGET_PHASES
    ]


def target_problem(phase: Phase, value: int | None) -> str | None:
    """Why `value` cannot be the target for `phase`, or None."""
    name = f"target for {phase.label.lower()}"
    if value is None:
        return f"Enter the {name}"
    if not 0 <= value <= MAX_TARGET:
        return f"{name[:1].upper()}{name[1:]} must be between 0 and {MAX_TARGET} a week"
    return None


def save_contact_targets(
    team_id: int, values: Mapping[Phase, int | None], by: User, *, team: Team | None = None
) -> int:
    """Set the team's target for each phase given; only values that differ from the current one
    are written (and, given `team`, its settings move to a new version in the same flush).
    Raises FieldErrors (field: the phase's value) and writes nothing on any error.
    Returns how many phases changed."""
    errors = [
        FieldError(problem, phase.value)
        for phase in TARGET_PHASES
        if phase in values and (problem := target_problem(phase, values[phase]))
    ]
    if errors:
        raise FieldErrors(errors)
    rows = _team_target_rows(team_id)
    changed = 0
    for phase in TARGET_PHASES:
        if phase not in values:
            continue
        value = values[phase]
        row = rows.get(phase)
        current = row.per_week if row is not None else DEFAULT_TARGETS[phase]
        if value == current:
            continue
        if row is None:
            row = TeamContactTarget(team_id=team_id, phase=phase)
            db.session.add(row)
        row.per_week = value
        row.set_by_id = by.id
        row.set_at = utc_now()
        changed += 1
    if changed and team is not None:
        bump(team)
    db.session.flush()
    return changed


def _criteria_row(team_id: int) -> GraduationCriteria | None:
    return db.session.scalar(
        select(GraduationCriteria).where(GraduationCriteria.team_id == team_id)
    )


def graduation_criteria(team_id: int) -> TeamCriteria:
    """The team's graduation criteria, or the programme's defaults when it has set none."""
    row = _criteria_row(team_id)
    if row is None:
        return TeamCriteria(DEFAULT_CRITERIA, None)
    return TeamCriteria(row.rule(), _change(_names([row.set_by_id]), row.set_by_id, row.set_at))


def clean_weeks_problem(value: int | None) -> str | None:
    if value is None:
        return "Enter the weeks of negative or explained tests, or 0 if not required"
    if not 0 <= value <= MAX_CLEAN_WEEKS:
        return (
            f"Weeks of negative or explained tests must be between 0 and {MAX_CLEAN_WEEKS} "
            "(0 if not required)"
        )
    return None


def save_graduation_criteria(
    team_id: int, criteria: Criteria, by: User, *, team: Team | None = None
) -> bool:
    """Set the team's criteria (one row per team). False when they are what they were already.
    Given `team`, its settings move to a new version in the same flush."""
    problem = clean_weeks_problem(criteria.clean_weeks)
    if problem:
        raise FieldError(problem, "clean_weeks")
    row = _criteria_row(team_id)
    if (row.rule() if row is not None else DEFAULT_CRITERIA) == criteria:
        return False
    if row is None:
        row = GraduationCriteria(team_id=team_id)
        db.session.add(row)
    row.final_order_with_family = criteria.final_order_with_family
    row.trial_completed = criteria.trial_completed
    row.clean_weeks = criteria.clean_weeks
    row.set_by_id = by.id
    row.set_at = utc_now()
    if team is not None:
        bump(team)
    db.session.flush()
    return True


# ----------------------------------------------------------------------- no lost updates

SETTING_TABLES = (TeamContactTarget.__tablename__, GraduationCriteria.__tablename__)
BOOKKEEPING = frozenset({"id", "team_id", "phase", "set_by_id", "set_at"})


def check(team: Team, based_on: int | None) -> int:
    """Refuse (StaleEdit, with the other changes) a settings form opened at another version of
    the team's settings; the version the save is based on."""
    if based_on is not None and based_on != team.version:
        db.session.rollback()
        raise stale(team, based_on)
    return team.version


def bump(team: Team) -> None:
    """A settings save that changed something: the team's settings are at a new version."""
    team.version = team.version + 1


def commit(team: Team, based_on: int) -> None:
    try:
        versions.commit(team, based_on)
    except versions.StaleEdit:
        raise stale(team, based_on) from None


def stale(team: Team, based_on: int | None) -> versions.StaleEdit:
    """The saves since version `based_on`, newest first: each save that changed a setting made
    one version of the team and wrote its settings' rows in one flush (one audit time)."""
    current = team.version
    wanted = current - based_on if based_on is not None and 0 <= based_on < current else None
    wanted = min(wanted or versions.SHOWN_CHANGES, versions.SHOWN_CHANGES)
    targets = {
        str(row.id): row.phase
        for row in db.session.scalars(
            select(TeamContactTarget).where(TeamContactTarget.team_id == team.id)
        )
    }
    criteria = _criteria_row(team.id)
    events = db.session.scalars(
        select(AuditEvent)
        .where(
            (
                (AuditEvent.table_name == TeamContactTarget.__tablename__)
                & AuditEvent.record_id.in_(list(targets) or ["-"])
            )
            | (
                (AuditEvent.table_name == GraduationCriteria.__tablename__)
                & (AuditEvent.record_id == (str(criteria.id) if criteria else "-"))
            )
        )
        .order_by(AuditEvent.id.desc())
    )
    saves: list[tuple[AuditEvent, list[versions.FieldChange]]] = []
    for event in events:
        if not saves or saves[-1][0].at != event.at:
            if len(saves) == wanted:
                break
            saves.append((event, []))
        phase = targets.get(event.record_id)
        if event.table_name != TeamContactTarget.__tablename__:
            phase = None
        for name, (before, after) in sorted(event.changes.items()):
            if name in BOOKKEEPING:
                continue
            if phase is not None:
                name = phase.value
                before = DEFAULT_TARGETS[phase] if before is None else before
            saves[-1][1].append(versions.FieldChange(name, before, after))
    changes = [
        versions.OtherChange(event.actor_label, event.at, tuple(fields)) for event, fields in saves
    ]
    return versions.StaleEdit(current, changes)
