"""Contacts with parents and the targets they are measured against."""

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fdac import versions
from fdac.auth.models import User
from fdac.cases.models import Case, Parent, enum_column
from fdac.cases.phases import Phase
from fdac.contacts.kinds import ContactKind, ContactOutcome
from fdac.dates import LONDON, utc_now
from fdac.db_types import UTCDateTime
from fdac.extensions import db

# Who took part in a contact: one or more practitioners (a joint visit has two).
contact_practitioners = Table(
    "contact_practitioners",
    db.metadata,
    Column("contact_id", ForeignKey("contacts.id"), primary_key=True),
    Column("user_id", ForeignKey("users.id"), primary_key=True),
)


class Contact(db.Model):
    """A contact between the team and one parent: when, who, how, and what happened."""

    __tablename__ = "contacts"
    __audited__ = True
    __audit_collections__ = ("practitioners",)  # who took part: its changes are in the history
    # Compliance reads one case's contacts by time.
    __table_args__ = (Index("ix_contacts_case_at", "case_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    parent_id: Mapped[int] = mapped_column(ForeignKey("parents.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)  # the instant; shown in Europe/London
    kind: Mapped[ContactKind] = mapped_column(enum_column(ContactKind))
    outcome: Mapped[ContactOutcome] = mapped_column(enum_column(ContactOutcome))
    minutes: Mapped[int]
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    # No lost updates (fdac.versions); a change of practitioners alone makes a new version too.
    version: Mapped[int] = versions.column()
    __mapper_args__ = {"version_id_col": version}

    case: Mapped[Case] = relationship()
    parent: Mapped[Parent] = relationship()
    practitioners: Mapped[list[User]] = relationship(
        secondary=contact_practitioners, order_by="User.name"
    )
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])

    @property
    def audit_case_id(self) -> int:
        return self.case_id

    @property
    def day(self):
        """The London calendar day of the contact: the week it counts in."""
        return self.at.astimezone(LONDON).date()


class TeamContactTarget(db.Model):
    """A team's own default target for one phase (else fdac.contacts.targets.DEFAULT_TARGETS)."""

    __tablename__ = "team_contact_targets"
    __audited__ = True
    __table_args__ = (UniqueConstraint("team_id", "phase"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    phase: Mapped[Phase] = mapped_column(enum_column(Phase))
    per_week: Mapped[int]
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class CaseContactTarget(db.Model):
    """A case's own target for one phase, with the reason it differs from the team's."""

    __tablename__ = "case_contact_targets"
    __audited__ = True
    __table_args__ = (UniqueConstraint("case_id", "phase"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    phase: Mapped[Phase] = mapped_column(enum_column(Phase))
    per_week: Mapped[int]
    reason: Mapped[str] = mapped_column(Text)
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    # No lost updates (fdac.versions): every UPDATE is made at the version it was based on.
    version: Mapped[int] = versions.column()
    __mapper_args__ = {"version_id_col": version}

    set_by: Mapped[User | None] = relationship()

    @property
    def audit_case_id(self) -> int:
        return self.case_id
