from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Column, Enum, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

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
    __audit_redact__ = frozenset({"password_hash"})
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

    team: Mapped[Team | None] = relationship()
    # Only a laboratory serves teams (Role.serves_teams); empty for everyone else.
    served_teams: Mapped[list[Team]] = relationship(secondary=lab_teams, order_by=Team.name)

    @property
    def served_team_ids(self) -> frozenset[int]:
        """The teams whose cases a laboratory reaches (access.CASE_SCOPE reads this)."""
        return frozenset(team.id for team in self.served_teams)

    # Flask-Login refuses a session whose user is not active: deactivation ends it at once.
    @property
    def is_active(self) -> bool:
        return self.active

    def set_password(self, password: str) -> None:
        # werkzeug's default is scrypt with a random salt.
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"
