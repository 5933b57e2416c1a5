"""The pseudonyms of one case: its children, its parents, and every person an export of it
could name (fdac.reports.anonymise holds the rules; this only gathers the names).

Everyone else is anyone the case's records point at or its team has: the case's judge and
keyworker, every user of the team, the judges of its hearings, the practitioners of its
contacts, whoever moved its phase, plus `others` (an export's author). Three queries.
"""

from collections.abc import Iterable

from sqlalchemy import or_, select

from fdac.auth.models import User
from fdac.cases.models import Case, PhaseChange
from fdac.contacts.models import Contact, contact_practitioners
from fdac.extensions import db
from fdac.reports.anonymise import ChildName, ParentName, Pseudonyms
from hearings.models import Hearing


def _people_around(case: Case) -> list[str]:
    hearing_judges = select(Hearing.judge_id).where(Hearing.case_id == case.id)
    practitioners = (
        select(contact_practitioners.c.user_id)
        .join(Contact, Contact.id == contact_practitioners.c.contact_id)
        .where(Contact.case_id == case.id)
    )
    movers = select(PhaseChange.changed_by_id).where(PhaseChange.case_id == case.id)
    ids = {i for i in (case.judge_id, case.keyworker_id) if i is not None}
    users = db.session.scalars(
        select(User.name)
        .where(
            or_(
                User.team_id == case.team_id,
                User.id.in_(ids),
                User.id.in_(hearing_judges),
                User.id.in_(practitioners),
                User.id.in_(movers),
            )
        )
        .order_by(User.id)
    )
    return list(users)


def pseudonyms_for_case(case: Case, others: Iterable[str] = ()) -> Pseudonyms:
    """The case's Pseudonyms: Child A, B by date of birth; the parents by relationship; the
    staff, judges and `others` (say, the author of an export) by initials."""
    return Pseudonyms(
        children=[ChildName(c.name, c.date_of_birth) for c in case.children],
        parents=[ParentName(p.name, p.relationship_to_children.label) for p in case.parents],
        others=[*_people_around(case), *others],
    )
