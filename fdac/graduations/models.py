"""Graduation criteria per team, graduations (a manager's decision), ceremonies, the graduates'
group: their later support contacts and parent mentors."""

from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fdac.auth.models import User
from fdac.cases.models import Case, Parent, enum_column
from fdac.dates import utc_now
from fdac.db_types import UTCDateTime
from fdac.extensions import db
from fdac.graduations.criteria import Criteria


class GraduationCriteria(db.Model):
    """A team's graduation criteria (else fdac.graduations.criteria.DEFAULT_CRITERIA)."""

    __tablename__ = "graduation_criteria"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), unique=True)
    final_order_with_family: Mapped[bool] = mapped_column(default=True)
    trial_completed: Mapped[bool] = mapped_column(default=True)
    clean_weeks: Mapped[int] = mapped_column(default=8)
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    def rule(self) -> Criteria:
        return Criteria(self.final_order_with_family, self.trial_completed, self.clean_weeks)


class Ceremony(db.Model):
    __tablename__ = "graduation_ceremonies"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    day: Mapped[date]
    starts_at: Mapped[time | None] = mapped_column(Time)  # wall-clock time in London
    place: Mapped[str] = mapped_column(String(200))
    attending: Mapped[str] = mapped_column(Text, default="")  # the judge, the team, families
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    graduations: Mapped[list["Graduation"]] = relationship(back_populates="ceremony")


class Graduation(db.Model):
    """A parent who came through and was reunited: confirmed by a manager, never computed."""

    __tablename__ = "graduations"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    parent_id: Mapped[int] = mapped_column(ForeignKey("parents.id"), unique=True)
    graduated_on: Mapped[date]
    note: Mapped[str] = mapped_column(Text, default="")
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    ceremony_id: Mapped[int | None] = mapped_column(
        ForeignKey("graduation_ceremonies.id"), index=True
    )
    # A graduate who supports parents now in FDAC.
    mentor_since: Mapped[date | None]
    mentor_note: Mapped[str] = mapped_column(Text, default="")

    case: Mapped[Case] = relationship()
    parent: Mapped[Parent] = relationship()
    confirmed_by: Mapped[User | None] = relationship()
    ceremony: Mapped[Ceremony | None] = relationship(back_populates="graduations")
    support: Mapped[list["SupportContact"]] = relationship(
        back_populates="graduation", order_by="SupportContact.day.desc()"
    )

    @property
    def audit_case_id(self) -> int:
        return self.case_id

    @property
    def is_mentor(self) -> bool:
        return self.mentor_since is not None


class SupportKind(StrEnum):
    SUPPORT_CALL = "support_call"
    GRADUATES_GROUP = "graduates_group"
    MENTORING = "mentoring"  # the graduate mentoring a parent now in FDAC
    OTHER = "other"

    @property
    def label(self) -> str:
        return SUPPORT_KIND_LABELS[self]


SUPPORT_KIND_LABELS = {
    SupportKind.SUPPORT_CALL: "Support call",
    SupportKind.GRADUATES_GROUP: "Graduates' group",
    SupportKind.MENTORING: "Mentoring",
    SupportKind.OTHER: "Other support",
}


class SupportContact(db.Model):
    """Post-proceedings support for a graduate, recorded after the case has closed."""

    __tablename__ = "support_contacts"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    graduation_id: Mapped[int] = mapped_column(ForeignKey("graduations.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    day: Mapped[date]
    kind: Mapped[SupportKind] = mapped_column(enum_column(SupportKind))
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    graduation: Mapped[Graduation] = relationship(back_populates="support")
    recorded_by: Mapped[User | None] = relationship()

    @property
    def audit_case_id(self) -> int:
        return self.case_id
