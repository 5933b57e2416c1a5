from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import BigInteger, Column, Enum, ForeignKey, String, Table, event
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.orm.base import NEVER_SET, NO_VALUE
from werkzeug.security import check_password_hash

from fdac.auth.passwords import check_new_password, hash_password
from fdac.auth.roles import Role
from fdac.dates import utc_now
from fdac.db_types import UTCDateTime
from fdac.extensions import db
from fdac.teams.models import Team

# The teams a laboratory user serves: it reaches the cases of these teams, for results only.
lab_teams = Table(
    "lab_teams",
    db.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("team_id", ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True),
)


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __audited__ = True
    # The hash changes on every reset; the trail records that it changed, never the value.
    # Nor the two-factor secret: whoever reads the trail must not be able to make codes.
    __audit_redact__ = frozenset({"password_hash", "totp_secret"})
    __audit_collections__ = ("served_teams",)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254), unique=True)
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=32, values_callable=lambda e: [m.value for m in e])
    )
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    must_change_password: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    last_signed_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The profile an admin edits (name, email, role, teams, active) as of this version: moved
    # only by a change of the profile (fdac.users.services), not by signing in, which writes
    # this row too. A stale edit of the profile is refused (docs/decisions/0034).
    profile_version: Mapped[int] = mapped_column(default=1, server_default="1")
    # Every session cookie carries the version it was made under; raising it ends them all at
    # once (fdac.auth.sessions): sign-out, a password change or reset, deactivation.
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")
    # Wrong passwords since the last sign-in or lock; at FDAC_SIGN_IN_MAX_FAILURES the
    # account is locked until locked_until (fdac.auth.services.attempt_sign_in).
    failed_sign_ins: Mapped[int] = mapped_column(default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Two-factor sign-in (fdac.auth.two_factor): the TOTP secret shared with the person's
    # authenticator app (made at their first sign-in), when they proved the app has it by
    # typing a code (None: they set it up at their next sign-in), and the last time step whose
    # code was used (a code works once).
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    two_factor_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)

    team: Mapped[Team | None] = relationship()
    # Only a laboratory serves teams (Role.serves_teams); empty for everyone else.
    served_teams: Mapped[list[Team]] = relationship(secondary=lab_teams, order_by=Team.name)
    recovery_codes: Mapped[list["RecoveryCode"]] = relationship(
        cascade="all, delete-orphan", order_by="RecoveryCode.id"
    )

    @property
    def served_team_ids(self) -> frozenset[int]:
        """The teams whose cases a laboratory reaches (access.CASE_SCOPE reads this)."""
        return frozenset(team.id for team in self.served_teams)

    # Flask-Login refuses a session whose user is not active: deactivation ends it at once.
    @property
    def is_active(self) -> bool:
        return self.active

    def set_password(self, password: str) -> None:
        """Check the rules (FieldError on 'password' if broken), hash with scrypt, and end
        every session made with the old password."""
        check_new_password(password)
        self.password_hash = hash_password(password)
        self.end_sessions()

    def end_sessions(self) -> None:
        """Make every session cookie of this user useless from their next request."""
        self.session_version = (self.session_version or 0) + 1

    def is_locked(self, now: datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now

    @property
    def has_two_factor(self) -> bool:
        """True once the person has confirmed an authenticator app with a code."""
        return self.two_factor_since is not None and self.totp_secret is not None

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class RecoveryCode(db.Model):
    """One single-use recovery code, typed instead of a code from the app (a lost phone).
    Only its salted hash is kept; the person saw the code once. Audited by hand
    (fdac.auth.trail): the trail says a code was used or the set renewed, never a code."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


@event.listens_for(User.active, "set", active_history=True)
def _deactivation_ends_sessions(user: User, value, oldvalue, _initiator):
    # Flask-Login already refuses an inactive user; this also keeps the old cookies dead when
    # the account is reactivated. A new user (no old value) has no sessions to end.
    if oldvalue not in (NO_VALUE, NEVER_SET) and bool(value) != bool(oldvalue):
        user.end_sessions()
