from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fdac.auth.models import User
from fdac.dates import utc_now
from fdac.db_types import UTCDateTime
from fdac.extensions import db


class AuditEvent(db.Model):
    """One insert, update or delete of a record: who, when, which record, before and after.

    Append-only: written by the session hook in fdac.audit.recorder and by hand through
    fdac.audit.events, never updated or deleted (triggers in the database refuse both), and
    hash-chained by fdac.audit.chain.
    """

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_record", "table_name", "record_id"),)
    # One row at a time: each inserted row's hash needs the hash of the row inserted before it.
    __mapper_args__ = {"batch": False}

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_label: Mapped[str] = mapped_column(String(160))
    action: Mapped[str] = mapped_column(String(10))  # insert, update, delete
    table_name: Mapped[str] = mapped_column(String(64))
    record_id: Mapped[str] = mapped_column(String(64))
    case_id: Mapped[int | None] = mapped_column(index=True)
    # {field: [before, after]}; on an insert before is null, on a delete after is null.
    changes: Mapped[dict] = mapped_column(JSON)
    # SHA-256 hex of the row before (fdac.audit.chain.GENESIS for the first) and of this row.
    # Unique: two rows can never follow the same row, so the chain cannot fork.
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64))

    actor: Mapped[User | None] = relationship()
