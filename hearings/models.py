"""The court's FDAC set-up and the hearings booked into it.

Unique constraints back the planner, so a job run twice (or by two schedulers at once) can never
book a review twice: one NLR per case per rhythm date, one hearing per case per day, one family
per slot. Cancelled hearings step out of the last two, so their day and slot can be reused.
Hearing outcomes are evidence: a correction is a new outcome pointing at the one it amends.
"""

from datetime import date, datetime, time

from sqlalchemy import ForeignKey, Index, String, Text, Time, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fdac import versions
from fdac.auth.models import User
from fdac.cases.models import Case, Parent, enum_column
from fdac.dates import utc_now
from fdac.db_types import UTCDateTime
from fdac.extensions import db
from hearings.calendar import WEEKDAYS
from hearings.calendar import Sitting as SittingRule
from hearings.kinds import HearingKind, HearingStatus

NOT_CANCELLED = text("status != 'cancelled'")


class Sitting(db.Model):
    """A recurring FDAC sitting of the court: weekday, session, slots, judge."""

    __tablename__ = "sittings"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    weekday: Mapped[int]  # 0 is Monday
    starts_at: Mapped[time] = mapped_column(Time)  # wall-clock time in London
    slot_minutes: Mapped[int]
    slots: Mapped[int]
    judge_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # A sitting that hearings point at is retired, never deleted.
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    judge: Mapped[User] = relationship()

    @property
    def weekday_name(self) -> str:
        return WEEKDAYS[self.weekday]

    def rule(self) -> SittingRule:
        return SittingRule(
            self.id, self.weekday, self.judge_id, self.starts_at, self.slot_minutes, self.slots
        )


class JudgeAbsence(db.Model):
    __tablename__ = "judge_absences"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    judge_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    first_day: Mapped[date]
    last_day: Mapped[date]
    reason: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    judge: Mapped[User] = relationship()


class ClosureDay(db.Model):
    """A day the court does not sit for FDAC (bank holidays come from the calendar library)."""

    __tablename__ = "closure_days"
    __audited__ = True
    __table_args__ = (UniqueConstraint("team_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    day: Mapped[date]
    reason: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class NlrSchedule(db.Model):
    """How a case's reviews are planned: from which date, on which sitting."""

    __tablename__ = "nlr_schedules"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), unique=True)
    first_nlr_on: Mapped[date]
    sitting_id: Mapped[int | None] = mapped_column(ForeignKey("sittings.id"))
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    sitting: Mapped[Sitting | None] = relationship()

    @property
    def audit_case_id(self) -> int:
        return self.case_id


class Hearing(db.Model):
    __tablename__ = "hearings"
    __audited__ = True
    __table_args__ = (
        # The planner's key: one review per case per rhythm date, whatever became of it.
        UniqueConstraint("case_id", "planned_for"),
        Index(
            "uq_hearings_case_day",
            "case_id",
            "day",
            unique=True,
            sqlite_where=NOT_CANCELLED,
            postgresql_where=NOT_CANCELLED,
        ),
        Index(
            "uq_hearings_sitting_slot",
            "sitting_id",
            "day",
            "slot",
            unique=True,
            sqlite_where=NOT_CANCELLED,
            postgresql_where=NOT_CANCELLED,
        ),
        Index("ix_hearings_day_judge", "day", "judge_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[HearingKind] = mapped_column(enum_column(HearingKind))
    day: Mapped[date]  # a Europe/London calendar date
    starts_at: Mapped[time] = mapped_column(Time)  # wall-clock time in London
    duration_minutes: Mapped[int]
    judge_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    sitting_id: Mapped[int | None] = mapped_column(ForeignKey("sittings.id"))
    slot: Mapped[int | None]
    # NLRs the planner booked: the rhythm date this review stands for.
    planned_for: Mapped[date | None]
    # Why it is not on its planned date (the planner's or the manager's words).
    move_reason: Mapped[str] = mapped_column(Text, default="")
    moved_by_hand: Mapped[bool] = mapped_column(default=False)
    status: Mapped[HearingStatus] = mapped_column(
        enum_column(HearingStatus), default=HearingStatus.PLANNED
    )
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    booked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: planner
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    # No lost updates (fdac.versions): a move, a cancellation and an outcome are each made at
    # the version of the hearing the form was opened at.
    version: Mapped[int] = versions.column()
    __mapper_args__ = {"version_id_col": version}

    case: Mapped[Case] = relationship()
    judge: Mapped[User | None] = relationship(foreign_keys=[judge_id])
    sitting: Mapped[Sitting | None] = relationship()
    changes: Mapped[list["HearingChange"]] = relationship(
        back_populates="hearing", order_by="HearingChange.id", cascade="save-update, merge"
    )
    outcomes: Mapped[list["HearingOutcome"]] = relationship(
        back_populates="hearing", order_by="HearingOutcome.id", cascade="save-update, merge"
    )

    @property
    def audit_case_id(self) -> int:
        return self.case_id

    @property
    def is_cancelled(self) -> bool:
        return self.status is HearingStatus.CANCELLED

    @property
    def outcome(self) -> "HearingOutcome | None":
        """The current version of the outcome: the one no later version amends."""
        amended = {o.amends_id for o in self.outcomes}
        current = [o for o in self.outcomes if o.id not in amended]
        return current[-1] if current else None

    @property
    def moved(self) -> bool:
        return self.planned_for is not None and self.day != self.planned_for

    def record_change(self, change: str, reason: str, by_id: int | None = None) -> "HearingChange":
        """Start the record of a move or a cancellation from where the hearing is now (a move
        fills in `to_day`, `to_starts_at` and `to_judge_id`). None for `by_id`: the planner."""
        record = HearingChange(
            case_id=self.case_id,
            change=change,
            from_day=self.day,
            from_starts_at=self.starts_at,
            from_judge_id=self.judge_id,
            reason=reason,
            changed_by_id=by_id,
        )
        self.changes.append(record)
        return record


class HearingChange(db.Model):
    """A hearing moved or cancelled, with the reason: shown on the hearing, kept for ever."""

    __tablename__ = "hearing_changes"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    hearing_id: Mapped[int] = mapped_column(ForeignKey("hearings.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    change: Mapped[str] = mapped_column(String(20))  # "moved" or "cancelled"
    from_day: Mapped[date]
    from_starts_at: Mapped[time] = mapped_column(Time)
    to_day: Mapped[date | None]
    to_starts_at: Mapped[time | None] = mapped_column(Time)
    from_judge_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    to_judge_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: planner
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    hearing: Mapped[Hearing] = relationship(back_populates="changes")
    changed_by: Mapped[User | None] = relationship(foreign_keys=[changed_by_id])
    from_judge: Mapped[User | None] = relationship(foreign_keys=[from_judge_id])
    to_judge: Mapped[User | None] = relationship(foreign_keys=[to_judge_id])

    @property
    def audit_case_id(self) -> int:
        return self.case_id


class HearingOutcome(db.Model):
    """What happened at a hearing: who came, the goals for the next fortnight, a short note."""

    __tablename__ = "hearing_outcomes"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    hearing_id: Mapped[int] = mapped_column(ForeignKey("hearings.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    others_present: Mapped[str] = mapped_column(Text, default="")
    goals: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    # Unique: each version is amended at most once, so versions form one line.
    amends_id: Mapped[int | None] = mapped_column(ForeignKey("hearing_outcomes.id"), unique=True)
    amend_reason: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    hearing: Mapped[Hearing] = relationship(back_populates="outcomes")
    recorded_by: Mapped[User | None] = relationship()
    attendance: Mapped[list["HearingAttendance"]] = relationship(
        back_populates="outcome",
        order_by="HearingAttendance.parent_id",
        cascade="save-update, merge",
    )

    @property
    def audit_case_id(self) -> int:
        return self.case_id


class HearingAttendance(db.Model):
    __tablename__ = "hearing_attendance"
    __audited__ = True
    __table_args__ = (UniqueConstraint("outcome_id", "parent_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    outcome_id: Mapped[int] = mapped_column(ForeignKey("hearing_outcomes.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    parent_id: Mapped[int] = mapped_column(ForeignKey("parents.id"))
    attended: Mapped[bool]

    outcome: Mapped[HearingOutcome] = relationship(back_populates="attendance")
    parent: Mapped[Parent] = relationship()

    @property
    def audit_case_id(self) -> int:
        return self.case_id


class Extension(db.Model):
    """An extension of the 26-week limit granted by the court (Children Act 1989 s.32(5))."""

    __tablename__ = "proceedings_extensions"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    granted_on: Mapped[date]
    weeks: Mapped[int]
    reason: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    recorded_by: Mapped[User | None] = relationship()

    @property
    def audit_case_id(self) -> int:
        return self.case_id


class CalendarFeed(db.Model):
    """A secret iCalendar link for one person; only its hash is stored."""

    __tablename__ = "calendar_feeds"
    __audited__ = True
    __audit_redact__ = frozenset({"token_hash"})

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
