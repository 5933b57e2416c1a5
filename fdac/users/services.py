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
        raise FieldError("An administrator does not belong to a team: select No team", "team_id")
    if user.team_id is not None and db.session.get(Team, user.team_id) is None:
        raise FieldError("Select a team from the list", "team_id")


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
) -> User:
    # An admin who demoted themselves could leave the system with no admin at all.
    if by is not None and user.id == by.id and role is not user.role:
        raise FieldError("You cannot change your own role", "role")
    user.name, user.email, user.role, user.team_id = name, email.lower(), role, team_id
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
