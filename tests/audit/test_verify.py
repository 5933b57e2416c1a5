"""`flask fdac audit-verify` proves the trail whole, or names the first broken link."""

import pytest
from sqlalchemy import select

from fdac.audit import events
from fdac.audit.models import AuditEvent
from fdac.extensions import db
from tests import factories
from tests.audit.tampering import tamper, triggers_removed


def _verify(app):
    db.session.commit()
    return app.test_cli_runner().invoke(args=["fdac", "audit-verify"])


@pytest.fixture
def ids(team):
    """Ten audit rows: a case, a parent, and some exports."""
    case = factories.make_case(team)
    factories.add_parent(case)
    for n in range(4):
        events.record("export", "cases", case.id, case.id, {"format": "pdf", "n": n})
        db.session.commit()
    found = db.session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)).all()
    assert len(found) >= 8
    return found


def test_an_empty_trail_verifies(app):
    result = _verify(app)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK: 0 audit events")


def test_a_clean_chain_verifies_with_its_count(app, ids):
    result = _verify(app)
    assert result.exit_code == 0, result.output
    assert f"OK: {len(ids)} audit events, chain intact" in result.output


def test_changed_content_is_found_and_named(app, ids):
    middle = ids[4]
    tamper("UPDATE audit_events SET changes = :c WHERE id = :id", c='{"n": [null, 99]}', id=middle)
    result = _verify(app)
    assert result.exit_code == 1
    assert f"BROKEN at audit event {middle} (row 5 in id order): content changed" in result.output


def test_a_changed_actor_is_found(app, ids):
    tamper("UPDATE audit_events SET actor_label = 'Someone Else' WHERE id = :id", id=ids[2])
    result = _verify(app)
    assert result.exit_code == 1
    assert f"BROKEN at audit event {ids[2]}" in result.output and "content changed" in result.output


def test_a_changed_hash_is_found_and_told_apart_from_changed_content(app, ids):
    tamper("UPDATE audit_events SET hash = :h WHERE id = :id", h="a" * 64, id=ids[3])
    result = _verify(app)
    assert result.exit_code == 1
    assert f"BROKEN at audit event {ids[3]}" in result.output
    assert "hash changed" in result.output


def test_a_row_deleted_in_the_middle_is_found(app, ids):
    tamper("DELETE FROM audit_events WHERE id = :id", id=ids[5])
    result = _verify(app)
    assert result.exit_code == 1
    assert f"BROKEN at audit event {ids[6]} (row 6 in id order)" in result.output
    assert f"row missing between row {ids[4]} and this one" in result.output


def test_the_first_row_deleted_is_found(app, ids):
    tamper("DELETE FROM audit_events WHERE id = :id", id=ids[0])
    result = _verify(app)
    assert result.exit_code == 1
    assert f"BROKEN at audit event {ids[1]}" in result.output
    assert "the chain does not start here" in result.output


def test_a_changed_link_is_found(app, ids):
    tamper("UPDATE audit_events SET prev_hash = :h WHERE id = :id", h="b" * 64, id=ids[7])
    result = _verify(app)
    assert result.exit_code == 1
    assert f"BROKEN at audit event {ids[7]}" in result.output
    assert "link to the previous row changed" in result.output


def test_a_row_changed_and_rehashed_is_found_at_the_next_link(app, ids):
    """An attacker who recomputes the changed row's hash still breaks its successor's link."""
    from fdac.audit.chain import row_hash

    row = db.session.get(AuditEvent, ids[2])
    forged = {
        c: getattr(row, c)
        for c in ("at", "actor_id", "actor_label", "action", "table_name", "record_id", "case_id")
    }
    forged["changes"] = {"name": [None, "forged"]}
    new_hash = row_hash(row.prev_hash, forged)
    tamper(
        "UPDATE audit_events SET changes = :c, hash = :h WHERE id = :id",
        c='{"name": [null, "forged"]}',
        h=new_hash,
        id=ids[2],
    )
    result = _verify(app)
    assert result.exit_code == 1
    assert f"BROKEN at audit event {ids[3]}" in result.output
    assert f"or row {ids[2]} was changed and its hash recomputed" in result.output


def test_a_trail_without_its_triggers_fails_verification(app, ids):
    db.session.commit()
    with triggers_removed():
        result = _verify(app)
    assert result.exit_code == 1
    assert "UNGUARDED" in result.output
    assert "audit_events_no_update, audit_events_no_delete" in result.output
    assert _verify(app).exit_code == 0
