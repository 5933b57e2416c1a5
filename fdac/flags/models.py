from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fdac.auth.models import User
from fdac.cases.models import Case
from fdac.dates import utc_now
from fdac.db_types import UTCDateTime
from fdac.extensions import db


class Flag(db.Model):
    """Something about a case a manager should see, until it is resolved.

    (kind, case, subject) is unique, so a job that runs twice, or two schedulers at once, raise
    one flag; when the condition comes back the same flag is reopened.
    """

    __tablename__ = "flags"
    __audited__ = True
    __table_args__ = (UniqueConstraint("kind", "case_id", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))  # a key of fdac.flags.kinds.FLAG_KINDS
    subject: Mapped[str] = mapped_column(String(80), default="")  # e.g. "hearing:12"
    message: Mapped[str] = mapped_column(Text)
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    case: Mapped[Case] = relationship()
    resolved_by: Mapped[User | None] = relationship()

    @property
    def audit_case_id(self) -> int:
        return self.case_id

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None
