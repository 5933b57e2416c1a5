"""Creating and changing accounts.

No lost updates (docs/decisions/0034-no-lost-updates.md): the profile an administrator edits
(name, email, role, team, served teams, active) has a version of its own, `profile_version`.
Sign-in writes the same row (the last sign-in, failures, the lock, the two-factor step,
`session_version`) and moves no version, so a person signing in never makes an open form
stale. A change of the profile is based on the version its form was opened at:
- a different version is refused (StaleEdit) before anything is written;
- the version moves by one with the change, in the same commit, by an
  `UPDATE users SET profile_version = N + 1 WHERE id = ? AND profile_version = N` sent before
  the change: of two saves racing past the form check only the first matches a row (on
  PostgreSQL the second waits for the first's row lock, then finds N + 1; on SQLite writers
  queue on the write lock), the other is rolled back with the same StaleEdit.
"""

from sqlalchemy import String, cast, func, select, update

from fdac.audit.models import AuditEvent
from fdac.auth.models import User
from fdac.auth.roles import Role
from fdac.auth.services import temporary_password
from fdac.extensions import db
from fdac.teams.models import Team
from fdac.validation import FieldError
from fdac.versions import SHOWN_CHANGES, FieldChange, OtherChange, StaleEdit

# The audited fields of the profile, as the change shown names them: the trail's column (or
# collection) -> the name shown ("team" and "served_teams": the form aliases them to its fields).
PROFILE_FIELDS = {
    "name": "name",
    "email": "email",
    "role": "role",
    "team_id": "team",
    "served_teams": "served_teams",
    "active": "active",
}
_SCANNED = 200  # trail rows of the user read at most to find the profile's newest changes


def _team_name(team_id) -> str:
    if team_id in (None, ""):
        return "No team"
    team = db.session.get(Team, int(team_id)) if str(team_id).isdigit() else None
    return team.name if team is not None else f"Team {team_id}"


def _shown(column: str, value) -> str:
    """A profile value as the trail keeps it, in the form's words."""
    if column == "role":
        try:
            return Role(value).label
        except ValueError:
            return str(value)
    if column == "team_id":
        return _team_name(value)
    if column == "served_teams":
        return ", ".join(sorted(_team_name(each) for each in value or ())) or "None"
    if column == "active":
        return "Yes" if value else "No"
    return "(empty)" if value is None else str(value)


def profile_changes_since(user: User, based_on: int | None) -> list[OtherChange]:
    """The changes of `user`'s profile saved after version `based_on`, newest first, at most
    SHOWN_CHANGES (the newest ones when `based_on` is no version it had).

    Each profile save moves `profile_version` in its own audited update, so the trail rows
    whose change of `profile_version` ends above `based_on` are exactly the changes since.
    Sign-in's updates of the row carry no `profile_version` and are skipped.
    """
    current = user.profile_version
    known = based_on is not None and 0 < based_on < current
    events = db.session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.table_name == User.__tablename__,
            AuditEvent.record_id == str(user.id),
            AuditEvent.action == "update",
            cast(AuditEvent.changes, String).like('%"profile_version"%'),
        )
        .order_by(AuditEvent.id.desc())
        .limit(_SCANNED)
    )
    changes = []
    for audit in events:
        moved = audit.changes.get("profile_version")
        if not isinstance(moved, list) or len(moved) != 2:
            continue
        if known and not (isinstance(moved[1], int) and moved[1] > based_on):
            break
        fields = tuple(
            FieldChange(shown, _shown(column, values[0]), _shown(column, values[1]))
            for column, shown in PROFILE_FIELDS.items()
            if (values := audit.changes.get(column)) is not None
        )
        changes.append(OtherChange(audit.actor_label, audit.at, fields))
        if len(changes) == SHOWN_CHANGES:
            break
    return changes


def _stale(user: User, based_on: int | None) -> StaleEdit:
    db.session.rollback()  # nothing of this save is kept; the user is read again
    return StaleEdit(user.profile_version, profile_changes_since(user, based_on))


def _profile_version_check(user: User, based_on: int | None) -> int:
    """Refuse a save based on another version than the one read now (StaleEdit); None (the
    post sent no version) is taken as based on the version read now."""
    if based_on is None:
        return user.profile_version
    if based_on != user.profile_version:
        raise _stale(user, based_on)
    return based_on


def _move_profile_version(user: User, based_on: int) -> None:
    """Claim the next version in the database before writing the change: no row matched means
    another save of the profile committed first (StaleEdit, everything rolled back)."""
    with db.session.no_autoflush:
        moved = db.session.execute(
            update(User.__table__)
            .where(User.__table__.c.id == user.id)
            .where(User.__table__.c.profile_version == based_on)
            .values(profile_version=based_on + 1)
        )
    if moved.rowcount != 1:
        raise _stale(user, based_on)
    # Set on the object too (its committed value is still N): the flush writes N + 1 again and
    # the trail row of the change records N -> N + 1, which is how profile_changes_since finds it.
    user.profile_version = based_on + 1


def _check(user: User) -> None:
    query = select(func.count(User.id)).where(func.lower(User.email) == user.email.lower())
    if user.id is not None:
        query = query.where(User.id != user.id)
    with db.session.no_autoflush:
        clash = db.session.scalar(query)
    if clash:
        raise FieldError("Another user already has this email address", "email")
    if user.role.needs_team and user.team_id is None:
        raise FieldError(
            f"Select the team for this {user.role.label.split(' ')[0].lower()}", "team_id"
        )
    if not user.role.needs_team and user.team_id is not None:
        who = "A laboratory" if user.role.serves_teams else "An administrator"
        raise FieldError(f"{who} does not belong to a team: select No team", "team_id")
    if user.team_id is not None and db.session.get(Team, user.team_id) is None:
        raise FieldError("Select a team from the list", "team_id")
    if user.role.serves_teams and not user.served_teams:
        raise FieldError("Select the teams this laboratory serves", "served_team_ids")


def save_user(
    user: User,
    *,
    name: str,
    email: str,
    role: Role,
    team_id: int | None,
    password: str | None = None,
    must_change_password: bool = False,
    by: User | None = None,
    served_team_ids: list[int] | None = None,
    based_on: int | None = None,
) -> User:
    """Create a user, or change one's profile: `based_on` is the profile_version the form was
    opened at (StaleEdit when it is not the current one, or another save commits first)."""
    # An admin who demoted themselves could leave the system with no admin at all.
    if by is not None and user.id == by.id and role is not user.role:
        raise FieldError("You cannot change your own role", "role")
    wanted = set(served_team_ids or ()) if role.serves_teams else set()
    if user.id is not None:
        based_on = _profile_version_check(user, based_on)
        profile = (user.name, user.email, user.role, user.team_id, user.served_team_ids)
        if profile != (name, email.lower(), role, team_id, frozenset(wanted)):
            _move_profile_version(user, based_on)
    user.name, user.email, user.role, user.team_id = name, email.lower(), role, team_id
    # Only a laboratory serves teams; anyone else's list is emptied.
    with db.session.no_autoflush:
        teams = db.session.scalars(select(Team).where(Team.id.in_(wanted))).all() if wanted else []
    if len(teams) != len(wanted):
        db.session.rollback()
        raise FieldError("Select teams from the list", "served_team_ids")
    if {t.id for t in user.served_teams} != wanted:
        user.served_teams = list(teams)
    if password is not None:
        user.set_password(password)
        user.must_change_password = must_change_password
    try:
        _check(user)
    except FieldError:
        db.session.rollback()
        raise
    if user.id is None:
        db.session.add(user)
    db.session.commit()
    return user


def set_active(user: User, active: bool, *, by: User, based_on: int | None = None) -> None:
    """Deactivate or reactivate: a change of the profile, based on the profile_version the
    confirmation page was opened at (StaleEdit as for save_user)."""
    if user.id == by.id and not active:
        raise FieldError("You cannot deactivate your own account")
    based_on = _profile_version_check(user, based_on)
    if user.active != active:
        _move_profile_version(user, based_on)
        user.active = active
    db.session.commit()


def reset_password(user: User) -> str:
    """Set a temporary password, returned once for the admin to pass on securely."""
    password = temporary_password()
    user.set_password(password)
    user.must_change_password = True
    db.session.commit()
    return password
