from sqlalchemy import select

from fdac.audit.models import AuditEvent
from fdac.cases.models import Parent
from fdac.extensions import db
from tests import factories


def _events(table):
    return db.session.scalars(
        select(AuditEvent).where(AuditEvent.table_name == table).order_by(AuditEvent.id)
    ).all()


def test_insert_is_recorded_with_every_value_and_its_case(team):
    case = factories.make_case(team)
    parent = factories.add_parent(case, "Jade Carver")
    (event,) = _events("parents")
    assert (event.action, event.record_id, event.case_id) == ("insert", str(parent.id), case.id)
    assert event.changes["name"] == [None, "Jade Carver"]
    assert event.changes["relationship_to_children"] == [None, "mother"]
    assert event.actor_label.startswith("system")


def test_update_records_only_what_changed_before_and_after(team):
    case = factories.make_case(team)
    parent = factories.add_parent(case, "Jade Carver")
    parent.name = "Jade Carver-Smith"
    db.session.commit()
    update = _events("parents")[-1]
    assert update.action == "update"
    assert update.changes == {"name": ["Jade Carver", "Jade Carver-Smith"]}


def test_a_change_that_is_rolled_back_leaves_no_audit_record(team):
    case = factories.make_case(team)
    db.session.add(
        Parent(
            case=case,
            name="Never saved",
            date_of_birth=case.entered_on,
            relationship_to_children="mother",
        )
    )
    db.session.flush()
    db.session.rollback()
    assert _events("parents") == []


def test_saving_without_changes_writes_nothing(team):
    case = factories.make_case(team)
    before = len(_events("cases"))
    case.local_authority = case.local_authority
    db.session.commit()
    assert len(_events("cases")) == before


def test_who_took_part_in_a_contact_is_in_the_trail_when_it_changes(team):
    from datetime import UTC, datetime

    from fdac.contacts.kinds import ContactKind, ContactOutcome
    from fdac.contacts.models import Contact

    case = factories.make_case(team)
    parent = factories.add_parent(case)
    first = factories.make_user("practitioner", team=team)
    second = factories.make_user("practitioner", team=team)
    contact = Contact(
        case_id=case.id,
        parent_id=parent.id,
        at=datetime(2027, 3, 1, 10, tzinfo=UTC),
        kind=ContactKind.HOME_VISIT,
        outcome=ContactOutcome.ATTENDED,
        minutes=60,
        practitioners=[first],
    )
    db.session.add(contact)
    db.session.commit()
    assert _events("contacts")[-1].changes["practitioners"] == [[], [str(first.id)]]

    contact.practitioners.append(second)  # a joint visit after all
    db.session.commit()
    update = _events("contacts")[-1]
    assert (update.action, update.case_id) == ("update", case.id)
    assert update.changes == {
        "practitioners": [[str(first.id)], sorted([str(first.id), str(second.id)])]
    }
