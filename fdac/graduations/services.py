"""Use cases for graduations: eligibility per parent, confirming a graduation, ceremonies, the
graduates' group (support contacts, parent mentors) and the programme's outcomes.

No Flask. Lists are scoped by `visible`, the Select of cases the user may see
(fdac.auth.access.visible_cases), so a list never shows what a page would refuse. Every function
that writes commits; bad input raises a FieldError naming the field, and nothing is saved.
"""

from dataclasses import dataclass
from datetime import date, time
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from fdac.auth.models import User
from fdac.cases.models import Case, Parent
from fdac.cases.phases import Phase
from fdac.dates import uk_date
from fdac.extensions import db
from fdac.graduations import evidence
from fdac.graduations.eligibility import Check, eligibility, eligible
from fdac.graduations.models import Ceremony, Graduation, SupportContact, SupportKind
from fdac.graduations.outcomes import YearOutcomes, outcomes_by_year
from fdac.graduations.published import PUBLISHED, PublishedFigures
from fdac.validation import FieldError

NO_FINAL_ORDER = "A graduation needs the final order: record the case's outcome first"

# --- a case's graduation ----------------------------------------------------------------------


@dataclass
class ParentGraduation:
    parent: Parent
    checks: list[Check]
    graduation: Graduation | None

    @property
    def eligible(self) -> bool:
        return eligible(self.checks)

    @property
    def met(self) -> int:
        return sum(check.met for check in self.checks)


def case_graduations(case: Case) -> dict[int, Graduation]:
    """The case's graduations, by parent id."""
    rows = db.session.scalars(
        select(Graduation)
        .where(Graduation.case_id == case.id)
        .options(selectinload(Graduation.ceremony), selectinload(Graduation.confirmed_by))
    )
    return {g.parent_id: g for g in rows}


def graduation_page(case: Case, today: date) -> list[ParentGraduation]:
    """Per parent: each of the team's criteria met or not, and the graduation if confirmed."""
    criteria = evidence.team_criteria(case.team_id)
    per_parent = evidence.case_evidence(case, today)
    graduations = case_graduations(case)
    return [
        ParentGraduation(
            parent,
            eligibility(criteria, per_parent[parent.id], today),
            graduations.get(parent.id),
        )
        for parent in case.parents
    ]


def parent_of(case: Case, parent_id: int) -> Parent | None:
    return next((p for p in case.parents if p.id == parent_id), None)


def check_graduation(
    case: Case, parent: Parent, graduated_on: date, note: str, checks: list[Check], today: date
) -> None:
    """Raise a FieldError unless a manager may confirm this graduation as given."""
    if case.outcome is None:
        raise FieldError(NO_FINAL_ORDER, "graduated_on")
    if parent.case_id != case.id:
        raise FieldError("Choose a parent on this case")
    if db.session.scalar(select(Graduation.id).where(Graduation.parent_id == parent.id)):
        raise FieldError(f"{parent.name}'s graduation has already been confirmed")
    if graduated_on > today:
        raise FieldError("Graduation date must be today or in the past", "graduated_on")
    if graduated_on < case.entered_on:
        raise FieldError(
            "Graduation date must be on or after the date the family entered FDAC "
            f"({uk_date(case.entered_on)})",
            "graduated_on",
        )
    if not eligible(checks) and not note.strip():
        raise FieldError(
            "Enter why the parent graduates although not every criterion is met", "note"
        )


def confirm_graduation(
    case: Case,
    parent: Parent,
    graduated_on: date,
    note: str,
    *,
    checks: list[Check],
    by: User | None,
    today: date,
) -> Graduation:
    """A manager's decision, recorded (and audited). One graduation per parent."""
    check_graduation(case, parent, graduated_on, note, checks, today)
    graduation = Graduation(
        case_id=case.id,
        parent_id=parent.id,
        graduated_on=graduated_on,
        note=note.strip(),
        confirmed_by_id=by.id if by else None,
    )
    db.session.add(graduation)
    try:
        db.session.commit()
    except IntegrityError:  # confirmed by someone else a moment ago
        db.session.rollback()
        raise FieldError(f"{parent.name}'s graduation has already been confirmed") from None
    return graduation


# --- the graduates' group ---------------------------------------------------------------------


def _visible_ids(visible: Select):
    return visible.with_only_columns(Case.id).scalar_subquery()


def graduates(visible: Select, *, q: str = "", mentors_only: bool = False) -> list[Graduation]:
    """The graduates of the cases the user sees, newest first; `q` searches their names."""
    query = (
        select(Graduation)
        .join(Parent, Parent.id == Graduation.parent_id)
        .where(Graduation.case_id.in_(_visible_ids(visible)))
        .options(
            selectinload(Graduation.parent),
            selectinload(Graduation.case),
            selectinload(Graduation.ceremony),
        )
    )
    if q.strip():
        words = q.strip().lower().split()
        for word in words:
            query = query.where(Parent.name.ilike(f"%{_escape_like(word)}%", escape="\\"))
    if mentors_only:
        query = query.where(Graduation.mentor_since.is_not(None))
    return list(
        db.session.scalars(query.order_by(Graduation.graduated_on.desc(), Graduation.id.desc()))
    )


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def graduate_of(visible: Select, graduation_id: int) -> Graduation | None:
    """The graduation if its case is one the user sees (else None: a 404, not a 403)."""
    return db.session.scalar(
        select(Graduation).where(
            Graduation.id == graduation_id, Graduation.case_id.in_(_visible_ids(visible))
        )
    )


def record_support(
    graduation: Graduation,
    day: date,
    kind: SupportKind,
    note: str,
    *,
    by: User | None,
    today: date,
) -> SupportContact:
    """Post-proceedings support: recorded after the case has closed, as is the point."""
    if day > today:
        raise FieldError("Date of the support must be today or in the past", "day")
    if day < graduation.graduated_on:
        raise FieldError(
            "Date of the support must be on or after the graduation "
            f"({uk_date(graduation.graduated_on)})",
            "day",
        )
    contact = SupportContact(
        graduation_id=graduation.id,
        case_id=graduation.case_id,
        day=day,
        kind=kind,
        note=note.strip(),
        recorded_by_id=by.id if by else None,
    )
    db.session.add(contact)
    db.session.commit()
    return contact


def support_contacts(graduation: Graduation) -> list[SupportContact]:
    """Newest first."""
    return list(
        db.session.scalars(
            select(SupportContact)
            .where(SupportContact.graduation_id == graduation.id)
            .options(selectinload(SupportContact.recorded_by))
            .order_by(SupportContact.day.desc(), SupportContact.id.desc())
        )
    )


def make_mentor(graduation: Graduation, since: date, note: str, *, today: date) -> None:
    if graduation.is_mentor:
        raise FieldError(f"{graduation.parent.name} is already a parent mentor")
    if since > today:
        raise FieldError("Mentor since must be today or in the past", "since")
    if since < graduation.graduated_on:
        raise FieldError(
            f"Mentor since must be on or after the graduation ({uk_date(graduation.graduated_on)})",
            "since",
        )
    graduation.mentor_since = since
    graduation.mentor_note = note.strip()
    db.session.commit()


def end_mentoring(graduation: Graduation) -> None:
    """No longer a parent mentor (the audit trail keeps since when they were one)."""
    graduation.mentor_since = None
    graduation.mentor_note = ""
    db.session.commit()


# --- ceremonies -------------------------------------------------------------------------------


def ceremonies(team_id: int) -> list[Ceremony]:
    """The team's ceremonies, newest first."""
    return list(
        db.session.scalars(
            select(Ceremony)
            .where(Ceremony.team_id == team_id)
            .options(selectinload(Ceremony.graduations))
            .order_by(Ceremony.day.desc(), Ceremony.id.desc())
        )
    )


def ceremony_of(team_id: int, ceremony_id: int) -> Ceremony | None:
    return db.session.scalar(
        select(Ceremony).where(Ceremony.id == ceremony_id, Ceremony.team_id == team_id)
    )


def save_ceremony(
    ceremony: Ceremony | None,
    *,
    team_id: int,
    day: date,
    starts_at: time | None,
    place: str,
    attending: str,
    by: User | None,
) -> Ceremony:
    """Plan a ceremony (ceremony None) or change one."""
    if ceremony is None:
        ceremony = Ceremony(team_id=team_id, created_by_id=by.id if by else None)
        db.session.add(ceremony)
    ceremony.day = day
    ceremony.starts_at = starts_at
    ceremony.place = place.strip()
    ceremony.attending = attending.strip()
    db.session.commit()
    return ceremony


def without_ceremony(visible: Select) -> list[Graduation]:
    """Graduates the user sees who have no ceremony yet, oldest graduation first."""
    return list(
        db.session.scalars(
            select(Graduation)
            .where(Graduation.case_id.in_(_visible_ids(visible)), Graduation.ceremony_id.is_(None))
            .options(selectinload(Graduation.parent), selectinload(Graduation.case))
            .order_by(Graduation.graduated_on, Graduation.id)
        )
    )


def add_to_ceremony(ceremony: Ceremony, visible: Select, graduation_ids: list[int]) -> int:
    """Add graduates (of the ceremony's team, without a ceremony) to it; how many were added."""
    if not graduation_ids:
        raise FieldError("Select the graduates to add", "graduation_ids")
    chosen = list(
        db.session.scalars(
            select(Graduation)
            .join(Case, Case.id == Graduation.case_id)
            .where(
                Graduation.id.in_(graduation_ids),
                Graduation.case_id.in_(_visible_ids(visible)),
                Case.team_id == ceremony.team_id,
                Graduation.ceremony_id.is_(None),
            )
        )
    )
    if len(chosen) != len(set(graduation_ids)):
        raise FieldError("Select graduates of your team who have no ceremony yet", "graduation_ids")
    for graduation in chosen:
        graduation.ceremony_id = ceremony.id
    db.session.commit()
    return len(chosen)


# --- outcomes ---------------------------------------------------------------------------------


def percent(share: float | None) -> str:
    """'52%': a share as a whole percentage, halves rounded up ('12.5%' reads '13%')."""
    if share is None:
        return "No data"
    whole = (Decimal(str(share)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"{whole}%"


@dataclass(frozen=True)
class OutcomesPage:
    years: list[YearOutcomes]
    published: tuple[PublishedFigures, ...]


def team_outcomes(visible: Select) -> OutcomesPage:
    """The closed cases the user sees, per year of closing, beside the published figures."""
    closed = list(db.session.scalars(visible.where(Case.phase == Phase.CLOSED)))
    return OutcomesPage(outcomes_by_year(evidence.closed_cases(closed)), PUBLISHED)
