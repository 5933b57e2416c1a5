from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from fdac import versions
from fdac.dates import utc_now
from fdac.db_types import UTCDateTime
from fdac.extensions import db


class Team(db.Model):
    """An FDAC team: it serves one family court and one or more local authorities."""

    __tablename__ = "teams"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    court_name: Mapped[str] = mapped_column(String(160))
    # The two letters that start the court's case numbers (ZW in ZW26C00123).
    court_code: Mapped[str] = mapped_column(String(2))
    local_authorities: Mapped[str] = mapped_column(String(400), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    # No lost updates (fdac.versions): the version of the team's settings (contact targets,
    # graduation criteria: rows of their own tables), one more at each settings save.
    version: Mapped[int] = versions.column()
    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Team {self.name}>"
