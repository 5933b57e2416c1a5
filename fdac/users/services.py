"""Creating and changing accounts."""

from sqlalchemy import func, select

from fdac.auth.models import User
from fdac.auth.roles import Role
from fdac.auth.services import temporary_password
from fdac.extensions import db
from fdac.teams.models import Team
from fdac.validation import FieldError


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
) -> User:
    # An admin who demoted themselves could leave the system with no admin at all.
    if by is not None and user.id == by.id and role is not user.role:
        raise FieldError("You cannot change your own role", "role")
    user.name, user.email, user.role, user.team_id = name, email.lower(), role, team_id
    # Only a laboratory serves teams; anyone else's list is emptied.
    wanted = set(served_team_ids or ()) if role.serves_teams else set()
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


def set_active(user: User, active: bool, *, by: User) -> None:
    if user.id == by.id and not active:
        raise FieldError("You cannot deactivate your own account")
    user.active = active
    db.session.commit()


def reset_password(user: User) -> str:
    """Set a temporary password, returned once for the admin to pass on securely."""
    password = temporary_password()
    user.set_password(password)
    user.must_change_password = True
    db.session.commit()
    return password
