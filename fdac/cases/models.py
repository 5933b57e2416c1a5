from datetime import date, datetime

from sqlalchemy import Enum, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fdac import versions
from fdac.auth.models import User
from fdac.cases.people import LegalStatus, LivesWith, Relationship
from fdac.cases.phases import Outcome, Phase
from fdac.dates import utc_now
from fdac.db_types import UTCDateTime
from fdac.extensions import db
from fdac.teams.models import Team


def enum_column(enum_cls):
    """Store an enum by its value as a plain string: portable, readable in SQL, no DB type."""
    return Enum(
        enum_cls, native_enum=False, length=40, values_callable=lambda e: [m.value for m in e]
    )


class Case(db.Model):
    """A family in FDAC: one set of care proceedings, its parents and its children."""

    __tablename__ = "cases"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    court_case_number: Mapped[str] = mapped_column(String(20), unique=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    local_authority: Mapped[str] = mapped_column(String(120))
    issued_on: Mapped[date | None]  # proceedings issued; empty while pre-proceedings
    entered_on: Mapped[date]  # entered FDAC
    phase: Mapped[Phase] = mapped_column(enum_column(Phase), default=Phase.REFERRAL, index=True)
    outcome: Mapped[Outcome | None] = mapped_column(enum_column(Outcome))
    keyworker_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    judge_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    # The day the retention job anonymised it (fdac.retention_jobs): None while it is kept whole.
    anonymised_on: Mapped[date | None]
    # No lost updates (fdac.versions): every UPDATE is made at the version it was based on.
    version: Mapped[int] = versions.column()
    __mapper_args__ = {"version_id_col": version}

    team: Mapped[Team] = relationship()
    keyworker: Mapped[User | None] = relationship(foreign_keys=[keyworker_id])
    judge: Mapped[User | None] = relationship(foreign_keys=[judge_id])
    parents: Mapped[list["Parent"]] = relationship(
        back_populates="case", order_by="Parent.id", cascade="save-update, merge"
    )
    children: Mapped[list["Child"]] = relationship(
        back_populates="case", order_by="Child.date_of_birth", cascade="save-update, merge"
    )
    phase_changes: Mapped[list["PhaseChange"]] = relationship(
        back_populates="case",
        order_by="(PhaseChange.changed_on, PhaseChange.id)",
        cascade="save-update, merge",
    )

    @property
    def is_closed(self) -> bool:
        return self.phase is Phase.CLOSED

    @property
    def audit_case_id(self) -> int:
        return self.id

    def __repr__(self) -> str:
        return f"<Case {self.reference}>"


class Parent(db.Model):
    __tablename__ = "parents"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    date_of_birth: Mapped[date]
    relationship_to_children: Mapped[Relationship] = mapped_column(enum_column(Relationship))
    version: Mapped[int] = versions.column()
    __mapper_args__ = {"version_id_col": version}

    case: Mapped[Case] = relationship(back_populates="parents")

    @property
    def audit_case_id(self) -> int:
        return self.case_id


class Child(db.Model):
    __tablename__ = "children"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    date_of_birth: Mapped[date]
    lives_with: Mapped[LivesWith] = mapped_column(enum_column(LivesWith))
    legal_status: Mapped[LegalStatus] = mapped_column(enum_column(LegalStatus))
    version: Mapped[int] = versions.column()
    __mapper_args__ = {"version_id_col": version}

    case: Mapped[Case] = relationship(back_populates="children")

    @property
    def audit_case_id(self) -> int:
        return self.case_id


class PhaseChange(db.Model):
    """One move of a case between phases: the phase timeline on the case page."""

    __tablename__ = "phase_changes"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    from_phase: Mapped[Phase | None] = mapped_column(enum_column(Phase))  # None: case opened
    to_phase: Mapped[Phase] = mapped_column(enum_column(Phase))
    changed_on: Mapped[date]
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    case: Mapped[Case] = relationship(back_populates="phase_changes")
    changed_by: Mapped[User | None] = relationship()

    @property
    def audit_case_id(self) -> int:
        return self.case_id
