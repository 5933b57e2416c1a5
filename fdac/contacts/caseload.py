"""A caseload: open cases with each parent's contacts this week against the target.

Compliance for every case comes from one call of compliance_for_cases (a fixed number of
queries, however many cases); the cases, their parents and keyworkers load in three more.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select
from sqlalchemy.orm import selectinload

from fdac.cases.models import Case, Parent
from fdac.cases.phases import Phase
from fdac.contacts.compliance import Compliance
from fdac.contacts.loading import compliance_for_cases
from fdac.extensions import db

# The keyworker filter's value for cases nobody is allocated to.
NOT_ALLOCATED = "none"


@dataclass(frozen=True)
class ParentContacts:
    parent: Parent
    compliance: Compliance

    @property
    def below_target_this_week(self) -> bool:
        week = self.compliance.this_week
        return week.attended < week.target

    @property
    def needs_attention(self) -> bool:
        return self.below_target_this_week or self.compliance.no_recent_contact


@dataclass(frozen=True)
class CaseloadRow:
    case: Case
    parents: list[ParentContacts]

    @property
    def below_target(self) -> bool:
        """Any parent below this week's target, or not seen for 7 days."""
        return any(parent.needs_attention for parent in self.parents)


@dataclass(frozen=True)
class Caseload:
    below_target: list[CaseloadRow]  # first on the page: who to see this week
    others: list[CaseloadRow]

    @property
    def total(self) -> int:
        return len(self.below_target) + len(self.others)


def caseload(cases: Select, today: date, *, keyworker: int | str | None = None) -> Caseload:
    """The open cases `cases` selects (start from visible_cases(user)), optionally only those
    of one keyworker (a user id) or none (NOT_ALLOCATED), by reference."""
    query = cases.where(Case.phase != Phase.CLOSED)
    if keyworker == NOT_ALLOCATED:
        query = query.where(Case.keyworker_id.is_(None))
    elif keyworker is not None:
        query = query.where(Case.keyworker_id == keyworker)
    found = list(
        db.session.scalars(
            query.options(selectinload(Case.parents), selectinload(Case.keyworker)).order_by(
                Case.reference
            )
        )
    )
    compliance = compliance_for_cases(found, today)
    rows = [
        CaseloadRow(
            case,
            [
                ParentContacts(parent, compliance[case.id][parent.id])
                for parent in case.parents
                if parent.id in compliance.get(case.id, {})
            ],
        )
        for case in found
    ]
    return Caseload(
        below_target=[row for row in rows if row.below_target],
        others=[row for row in rows if not row.below_target],
    )
