"""Court documents and their versions.

An issued version is frozen. The services never change one, and the database session refuses
to (a before_flush check, FrozenVersion): not even code that reaches past the services can
alter or delete what the parties were given. What it was issued with (the progress summary as
rendered, the court, the judge, the author and approver) is stored on it at issue.
"""

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Text, UniqueConstraint, event, inspect, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from fdac import versions as record_versions
from fdac.auth.models import User
from fdac.cases.models import Case, enum_column
from fdac.court_documents.kinds import DocumentKind, VersionStatus
from fdac.dates import utc_now
from fdac.db_types import UTCDateTime
from fdac.extensions import db
from hearings.models import Hearing


class CourtDocument(db.Model):
    """A review report to one NLR, or the note of one hearing: one line of versions."""

    __tablename__ = "court_documents"
    __audited__ = True
    # One review report per review, one note per hearing (a revision is a new version).
    __table_args__ = (UniqueConstraint("hearing_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    hearing_id: Mapped[int | None] = mapped_column(ForeignKey("hearings.id"))
    kind: Mapped[DocumentKind] = mapped_column(enum_column(DocumentKind))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    case: Mapped[Case] = relationship()
    hearing: Mapped[Hearing | None] = relationship()
    versions: Mapped[list["DocumentVersion"]] = relationship(
        back_populates="document",
        order_by="DocumentVersion.number",
        cascade="save-update, merge",
    )

    @property
    def audit_case_id(self) -> int:
        return self.case_id

    @property
    def latest(self) -> "DocumentVersion":
        return self.versions[-1]

    @property
    def issued(self) -> list["DocumentVersion"]:
        return [v for v in self.versions if v.status is VersionStatus.ISSUED]


class DocumentVersion(db.Model):
    """One version: the author's own words, its period, and where it is in the workflow."""

    __tablename__ = "court_document_versions"
    __audited__ = True
    __table_args__ = (UniqueConstraint("document_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("court_documents.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    number: Mapped[int]
    status: Mapped[VersionStatus] = mapped_column(
        enum_column(VersionStatus), default=VersionStatus.DRAFT
    )
    period_from: Mapped[date]
    period_to: Mapped[date]
    # The author's own words (kinds.KINDS says which a kind asks for).
    going_well: Mapped[str] = mapped_column(Text, default="")
    not_going_well: Mapped[str] = mapped_column(Text, default="")
    goals_proposed: Mapped[str] = mapped_column(Text, default="")
    attendance: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    goals_agreed: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    revision_reason: Mapped[str] = mapped_column(Text, default="")  # versions after the first

    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The last time a manager sent it back, and why (cleared by nothing: the history keeps all).
    returned_reason: Mapped[str] = mapped_column(Text, default="")
    returned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approver_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    issued_on: Mapped[date | None]  # the day it was issued, in London: the date on its pages
    # Frozen at issue: the progress summary's HTML and the header it was issued under.
    frozen_summary: Mapped[str | None] = mapped_column(Text)
    frozen_header: Mapped[dict | None] = mapped_column(JSON)
    # No lost updates (fdac.versions): a draft's words are saved at the version the form was
    # opened at (an issued version never changes again: the check below).
    version: Mapped[int] = record_versions.column()
    __mapper_args__ = {"version_id_col": version}

    document: Mapped[CourtDocument] = relationship(back_populates="versions")
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    approver: Mapped[User | None] = relationship(foreign_keys=[approver_id])
    returned_by: Mapped[User | None] = relationship(foreign_keys=[returned_by_id])

    @property
    def audit_case_id(self) -> int:
        return self.case_id

    @property
    def is_issued(self) -> bool:
        return self.status is VersionStatus.ISSUED

    def words(self) -> dict[str, str]:
        return {w.field: getattr(self, w.field) for w in self.document.kind.info.words}


class FrozenVersion(RuntimeError):
    """Something tried to change or delete an issued version."""


def _was_issued(session: Session, version: DocumentVersion) -> bool:
    """The version as stored (before this flush) is issued: read from the database itself,
    so no attribute history (expired, or never loaded) can hide it."""
    table = DocumentVersion.__table__
    stored = session.connection().scalar(
        select(table.c.status).where(table.c.id == inspect(version).identity[0])
    )
    return stored == VersionStatus.ISSUED


def _refuse_changes_to_issued(session: Session, flush_context, instances) -> None:
    with session.no_autoflush:
        for version in session.deleted:
            if isinstance(version, DocumentVersion) and _was_issued(session, version):
                raise FrozenVersion(f"Issued version {version.id} cannot be deleted")
        for version in session.dirty:
            if (
                isinstance(version, DocumentVersion)
                and session.is_modified(version)
                and _was_issued(session, version)
            ):
                raise FrozenVersion(f"Issued version {version.id} cannot change")


if not event.contains(Session, "before_flush", _refuse_changes_to_issued):
    event.listen(Session, "before_flush", _refuse_changes_to_issued)
