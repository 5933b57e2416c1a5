"""The database itself refuses to change or remove a row of the audit trail."""

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DatabaseError

from fdac.audit.models import AuditEvent
from fdac.audit.verify import TRIGGERS, missing_triggers
from fdac.extensions import db
from tests import factories


@pytest.fixture
def event_id(team):
    factories.make_case(team)
    return db.session.scalar(select(AuditEvent.id).order_by(AuditEvent.id).limit(1))


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_events SET changes = '{}' WHERE id = :id",
        "UPDATE audit_events SET actor_label = 'someone else' WHERE id = :id",
        "DELETE FROM audit_events WHERE id = :id",
        "DELETE FROM audit_events",
    ],
)
def test_the_database_refuses_to_change_or_delete_an_audit_row(event_id, statement):
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(text(statement), {"id": event_id})
    db.session.rollback()
    assert db.session.get(AuditEvent, event_id) is not None


def test_the_orm_cannot_change_or_delete_one_either(event_id):
    event = db.session.get(AuditEvent, event_id)
    event.actor_label = "someone else"
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEvent, event_id))
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.commit()
    db.session.rollback()
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(delete(AuditEvent).where(AuditEvent.id == event_id))
    db.session.rollback()
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(update(AuditEvent).values(case_id=None))
    db.session.rollback()


def test_the_triggers_are_there_after_every_migration():
    """A later migration that copies audit_events on SQLite (batch mode) drops its triggers:
    it must create them again, or this fails."""
    with db.engine.connect() as conn:
        assert missing_triggers(conn) == []
    assert TRIGGERS == ("audit_events_no_update", "audit_events_no_delete")


def test_emptying_the_test_database_leaves_the_guard_in_place(event_id):
    from tests.conftest import _empty_database

    db.session.commit()
    _empty_database()
    assert db.session.scalar(select(AuditEvent.id)) is None
    with db.engine.connect() as conn:
        assert missing_triggers(conn) == []
