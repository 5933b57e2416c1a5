"""Test results as evidence: written once, never updated in place, never deleted.

A correction is a new TestResult whose `amends_id` points at the version it replaces, with a
reason; the original stays and shows as amended. A laboratory confirmation is a new
TestResult whose `confirms_id` points at the screen it confirms or overturns.
"""

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fdac.auth.models import User
from fdac.cases.models import Case, Parent, enum_column
from fdac.dates import utc_now
from fdac.db_types import UTCDateTime
from fdac.extensions import db
from testing_results.interpret import Reading, Status
from testing_results.panels import Matrix, Substance

# Concentrations from 0.05 ng/mg (hair) to tens of thousands of ng/mL (urine).
Concentration = Numeric(14, 4)


class Method(StrEnum):
    POINT_OF_CARE = "point_of_care"  # a screen taken by the team
    LABORATORY = "laboratory"

    @property
    def label(self) -> str:
        return "Point-of-care screen" if self is Method.POINT_OF_CARE else "Laboratory"


class TestResult(db.Model):
    __test__ = False  # not a pytest test class, despite the name
    __tablename__ = "test_results"
    __audited__ = True
    # The trend page reads one parent's results in date order.
    __table_args__ = (Index("ix_test_results_parent_collected", "parent_id", "collected_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    parent_id: Mapped[int] = mapped_column(ForeignKey("parents.id"))
    matrix: Mapped[Matrix] = mapped_column(enum_column(Matrix))
    method: Mapped[Method] = mapped_column(enum_column(Method))
    collected_on: Mapped[date]  # a Europe/London calendar date
    status: Mapped[Status] = mapped_column(enum_column(Status), default=Status.RESULT)
    status_reason: Mapped[str] = mapped_column(Text, default="")
    observed: Mapped[bool | None]
    value: Mapped[Decimal | None] = mapped_column(Concentration)  # breath or PEth reading
    creatinine_mg_dl: Mapped[Decimal | None] = mapped_column(Concentration)
    sample_length_cm: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    lab_name: Mapped[str] = mapped_column(String(120), default="")
    lab_reference: Mapped[str] = mapped_column(String(80), default="")
    reported_on: Mapped[date | None]
    confirms_id: Mapped[int | None] = mapped_column(ForeignKey("test_results.id"), index=True)
    # Unique: each version is amended at most once, so versions form one line.
    amends_id: Mapped[int | None] = mapped_column(ForeignKey("test_results.id"), unique=True)
    # The contact the sample was taken at (point-of-care screens entered from a contact).
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"), index=True)
    amendment_reason: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    # Set on imported originals only: the same lab row imported twice is refused by the database.
    import_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    import_id: Mapped[int | None] = mapped_column(ForeignKey("lab_imports.id"), index=True)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    case: Mapped[Case] = relationship()
    parent: Mapped[Parent] = relationship()
    entered_by: Mapped[User | None] = relationship()
    readings: Mapped[list["SubstanceResult"]] = relationship(
        back_populates="result", order_by="SubstanceResult.id", cascade="save-update, merge"
    )
    segments: Mapped[list["HairSegment"]] = relationship(
        back_populates="result", order_by="HairSegment.position", cascade="save-update, merge"
    )
    amends: Mapped["TestResult | None"] = relationship(remote_side=[id], foreign_keys=[amends_id])
    confirms: Mapped["TestResult | None"] = relationship(
        remote_side=[id], foreign_keys=[confirms_id]
    )

    @property
    def audit_case_id(self) -> int:
        return self.case_id

    @property
    def title(self) -> str:
        """'Urine (screen)', 'Oral fluid (swab) (laboratory)', 'Breath alcohol': the test's name
        wherever a result is listed (pages, reports, exports)."""
        label = self.matrix.label
        if self.method is Method.LABORATORY and self.matrix in (Matrix.ORAL_FLUID, Matrix.URINE):
            return f"{label} (laboratory)"
        if self.method is Method.POINT_OF_CARE and self.matrix is not Matrix.BREATH:
            return f"{label} (screen)"
        return label


class HairSegment(db.Model):
    __tablename__ = "hair_segments"
    __audited__ = True
    __table_args__ = (UniqueConstraint("result_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("test_results.id"), index=True)
    position: Mapped[int]  # 0 nearest the scalp
    from_cm: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    to_cm: Mapped[Decimal] = mapped_column(Numeric(6, 2))

    result: Mapped[TestResult] = relationship(back_populates="segments")

    @property
    def audit_case_id(self) -> int:
        return self.result.case_id


class SubstanceResult(db.Model):
    """One substance in one result (in one hair segment, for hair)."""

    __tablename__ = "substance_results"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("test_results.id"), index=True)
    substance: Mapped[Substance] = mapped_column(enum_column(Substance))
    screen: Mapped[Reading | None] = mapped_column(enum_column(Reading))
    value: Mapped[Decimal | None] = mapped_column(Concentration)
    cutoff: Mapped[Decimal | None] = mapped_column(Concentration)
    segment_id: Mapped[int | None] = mapped_column(ForeignKey("hair_segments.id"))

    result: Mapped[TestResult] = relationship(back_populates="readings")
    segment: Mapped[HairSegment | None] = relationship()

    @property
    def audit_case_id(self) -> int:
        return self.result.case_id


class Prescription(db.Model):
    """A prescribed medication that can explain a positive (methadone, buprenorphine, ...)."""

    __tablename__ = "prescriptions"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    parent_id: Mapped[int] = mapped_column(ForeignKey("parents.id"), index=True)
    medication: Mapped[str] = mapped_column(String(120))
    substance: Mapped[Substance] = mapped_column(enum_column(Substance))
    dose: Mapped[str] = mapped_column(String(120), default="")
    prescriber: Mapped[str] = mapped_column(String(120), default="")
    starts_on: Mapped[date]
    ends_on: Mapped[date | None]
    note: Mapped[str] = mapped_column(Text, default="")
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    parent: Mapped[Parent] = relationship()

    @property
    def audit_case_id(self) -> int:
        return self.case_id


class LabImport(db.Model):
    """One lab file imported: the same file (by content) is only ever imported once."""

    __tablename__ = "lab_imports"
    __audited__ = True
    __table_args__ = (UniqueConstraint("team_id", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int]
    results_added: Mapped[int]
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    imported_by: Mapped[User | None] = relationship()
