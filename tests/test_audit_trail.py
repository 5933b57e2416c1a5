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
