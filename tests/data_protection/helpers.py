"""A closed family with something in every table the retention job touches."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from fdac.cases.models import PhaseChange
from fdac.cases.people import Relationship
from fdac.cases.phases import Outcome, Phase
from fdac.contacts.kinds import ContactKind, ContactOutcome
from fdac.contacts.models import Contact
from fdac.extensions import db
from fdac.flags.models import Flag
from fdac.graduations.models import Graduation
from hearings.models import Extension
from tests import factories
from tests.court_documents.helpers import Family, issued_note, issued_report, make_family


@dataclass
class ClosedFamily:
    family: Family
    other: object  # the second parent
    child: object
    contact: object
    closed_on: object


def closed_family(team) -> ClosedFamily:
    """Kelly Ashworth and Dean Ashworth, their child Alfie, results, a contact, a prescription,
    hearings with an outcome, an issued report and note, a flag, a graduation: then closed."""
    family = make_family(team)
    case = family.case
    manager = factories.make_user("team_manager", team=team, name="Mo Manager")
    keyworker = factories.make_user("practitioner", team=team, name="Kim Keyworker")
    issued_report(family, keyworker, manager)
    issued_note(family, keyworker, manager)
    dean = factories.add_parent(case, "Dean Ashworth")
    dean.relationship_to_children = Relationship.FATHER
    child = factories.add_child(case, "Alfie Ashworth")
    factories.add_peth(dean, "30", family.today - timedelta(days=7))
    factories.add_prescription(family.parent)
    contact = Contact(
        case_id=case.id,
        parent_id=family.parent.id,
        at=datetime.now(UTC) - timedelta(days=2),
        kind=ContactKind.HOME_VISIT,
        outcome=ContactOutcome.ATTENDED,
        minutes=45,
        note="Kelly talked about her mother's illness at 12 Elm Road.",
    )
    db.session.add(contact)
    db.session.add(
        Flag(team_id=team.id, case_id=case.id, kind="no_recent_contact",
             subject=f"parent:{dean.id}", message="No contact with Dean Ashworth for 7 days")
    )  # fmt: skip
    db.session.add(
        Extension(case_id=case.id, granted_on=family.today, weeks=8, reason="Kelly's treatment")
    )
    db.session.add(
        Graduation(case_id=case.id, parent_id=family.parent.id, graduated_on=family.today,
                   note="Kelly spoke at the ceremony", mentor_note="Mentors Jo")
    )  # fmt: skip
    closed_on = family.today
    case.phase = Phase.CLOSED
    case.outcome = Outcome.REUNIFIED
    case.phase_changes.append(
        PhaseChange(from_phase=Phase.TRIAL_FOR_CHANGE, to_phase=Phase.CLOSED,
                    changed_on=closed_on, note="Alfie home with Kelly")
    )  # fmt: skip
    db.session.commit()
    return ClosedFamily(family, dean, child, contact, closed_on)
