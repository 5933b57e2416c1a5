"""An edit based on a version of a record that someone else has changed since is refused, with
their change shown and what the person typed kept; saving again applies it."""

from datetime import date

import pytest
from sqlalchemy import select, update

from fdac.audit.models import AuditEvent
from fdac.cases import services
from fdac.cases.models import Case, Child, Parent
from fdac.contacts.models import Contact
from fdac.extensions import db
from fdac.versions import MESSAGE, StaleEdit
from tests import factories
from tests.concurrency.pages import (
    hidden_version,
    open_form,
    other_change_text,
    refused_as_stale,
    submit,
)


def _details(case, **overrides) -> dict:
    data = {
        "reference": case.reference,
        "court_case_number": case.court_case_number,
        "local_authority": case.local_authority,
        "issued_on": ["29", "5", "2026"],
        "entered_on": ["1", "6", "2026"],
    }
    return data | overrides


def test_a_stale_case_edit_is_refused_showing_the_other_change_and_keeping_what_was_typed(
    signed_in, team
):
    case = factories.make_case(team, local_authority="Riverside Borough Council")
    first = signed_in("team_manager", name="Asha Patel")
    second = signed_in("team_manager", name="Ben Okafor")
    mine = open_form(first, "cases.edit", reference=case.reference)
    theirs = open_form(second, "cases.edit", reference=case.reference)
    assert mine["version"] == "1"

    status, _ = submit(
        second,
        "cases.edit",
        theirs,
        _details(case, local_authority="Eastbrook Council"),
        reference=case.reference,
    )
    assert status == 302
    status, page = submit(
        first,
        "cases.edit",
        mine,
        _details(case, local_authority="Northgate Council"),
        reference=case.reference,
    )

    assert status == 200 and refused_as_stale(page)
    shown = other_change_text(page)
    assert "Ben Okafor" in shown
    assert "Local authority Riverside Borough Council → Eastbrook Council" in shown
    assert page.select_one("input[name=local_authority]")["value"] == "Northgate Council"
    db.session.expire_all()
    assert db.session.get(Case, case.id).local_authority == "Eastbrook Council"
    # The form is now based on the current version: saving again applies the change.
    assert hidden_version(page) == "2"
    again = {**mine, "version": hidden_version(page)}
    status, _ = submit(
        first,
        "cases.edit",
        again,
        _details(case, local_authority="Northgate Council"),
        reference=case.reference,
    )
    assert status == 302
    db.session.expire_all()
    saved = db.session.get(Case, case.id)
    assert (saved.local_authority, saved.version) == ("Northgate Council", 3)


def test_an_edit_based_on_the_current_version_saves(signed_in, team):
    case = factories.make_case(team)
    manager = signed_in("team_manager")
    opened = open_form(manager, "cases.edit", reference=case.reference)
    status, _ = submit(
        manager,
        "cases.edit",
        opened,
        _details(case, local_authority="Eastbrook Council"),
        reference=case.reference,
    )
    assert status == 302
    db.session.expire_all()
    assert db.session.get(Case, case.id).version == 2


def test_a_stale_allocation_is_refused_naming_the_keyworker_chosen_meanwhile(signed_in, team):
    case = factories.make_case(team)
    keyworker = factories.make_user("practitioner", team=team, name="Cara Jones")
    factories.make_user("practitioner", team=team, name="Dev Shah")
    first = signed_in("team_manager")
    second = signed_in("team_manager", name="Ben Okafor")
    mine = open_form(first, "cases.allocation", reference=case.reference)
    theirs = open_form(second, "cases.allocation", reference=case.reference)
    submit(
        second,
        "cases.allocation",
        theirs,
        {"keyworker_id": str(keyworker.id), "judge_id": ""},
        reference=case.reference,
    )

    status, page = submit(
        first,
        "cases.allocation",
        mine,
        {"keyworker_id": "", "judge_id": ""},
        reference=case.reference,
    )

    assert status == 200 and refused_as_stale(page)
    assert "Keyworker Not allocated → Cara Jones" in other_change_text(page)
    db.session.expire_all()
    assert db.session.get(Case, case.id).keyworker_id == keyworker.id


def test_a_phase_move_opened_before_another_move_is_refused(signed_in, team):
    case = factories.make_case(team)
    first = signed_in("team_manager")
    second = signed_in("team_manager")
    mine = open_form(first, "cases.phase", reference=case.reference)
    theirs = open_form(second, "cases.phase", reference=case.reference)
    move = {"to_phase": "final_stage", "changed_on": ["1", "10", "2026"], "note": ""}
    assert submit(second, "cases.phase", theirs, move, reference=case.reference)[0] == 302

    status, page = submit(first, "cases.phase", mine, move, reference=case.reference)

    assert status == 200 and refused_as_stale(page)
    assert "Phase" in other_change_text(page)
    db.session.expire_all()
    assert len(db.session.get(Case, case.id).phase_changes) == 2  # opened, moved once


@pytest.mark.parametrize(
    ("kind", "endpoint", "data"),
    [
        (
            "parent",
            "cases.edit_parent",
            {
                "date_of_birth": ["27", "3", "1994"],
                "relationship_to_children": "mother",
            },
        ),
        (
            "child",
            "cases.edit_child",
            {
                "date_of_birth": ["1", "5", "2022"],
                "lives_with": "foster_care",
                "legal_status": "interim_care_order",
            },
        ),
    ],
)
def test_a_stale_edit_of_a_parent_or_child_is_refused(signed_in, team, kind, endpoint, data):
    case = factories.make_case(team)
    person = factories.add_parent(case) if kind == "parent" else factories.add_child(case)
    model = Parent if kind == "parent" else Child
    first = signed_in("team_manager")
    second = signed_in("team_manager", name="Ben Okafor")
    values = {"reference": case.reference, "person_id": person.id}
    mine = open_form(first, endpoint, **values)
    theirs = open_form(second, endpoint, **values)
    assert submit(second, endpoint, theirs, data | {"name": "Their Spelling"}, **values)[0] == 302

    status, page = submit(first, endpoint, mine, data | {"name": "My Spelling"}, **values)

    assert status == 200 and refused_as_stale(page)
    assert "→ Their Spelling" in other_change_text(page)
    assert page.select_one("input[name=name]")["value"] == "My Spelling"
    db.session.expire_all()
    assert db.session.get(model, person.id).name == "Their Spelling"


def _contact(case, parent, worker):
    from datetime import UTC, datetime

    from fdac.contacts.kinds import ContactKind, ContactOutcome

    contact = Contact(
        case_id=case.id,
        parent_id=parent.id,
        at=datetime(2026, 11, 2, 10, tzinfo=UTC),
        kind=ContactKind.HOME_VISIT,
        outcome=ContactOutcome.ATTENDED,
        minutes=45,
        practitioners=[worker],
    )
    db.session.add(contact)
    db.session.commit()
    return contact


def _contact_form(parent, who, **fields) -> dict:
    return {
        "parent_id": str(parent.id),
        "day": ["2", "11", "2026"],
        "at_time": "10:00am",
        "practitioner_ids": [str(u.id) for u in who],
        "kind": "home_visit",
        "minutes": "45",
        "outcome": "attended",
        "note": "",
    } | fields


def test_a_change_of_who_took_part_alone_makes_a_stale_contact_form(signed_in, team):
    case = factories.make_case(team)
    parent = factories.add_parent(case)
    first = signed_in("practitioner", name="Cara Jones")
    second = signed_in("practitioner", name="Dev Shah")
    contact = _contact(case, parent, first.user)
    values = {"reference": case.reference, "contact_id": contact.id}
    mine = open_form(first, "contacts.edit", **values)
    theirs = open_form(second, "contacts.edit", **values)
    both = [first.user, second.user]
    assert submit(second, "contacts.edit", theirs, _contact_form(parent, both), **values)[0] == 302

    status, page = submit(
        first, "contacts.edit", mine, _contact_form(parent, [first.user], minutes="60"), **values
    )

    assert status == 200 and refused_as_stale(page)
    assert "Who took part Cara Jones → Cara Jones, Dev Shah" in other_change_text(page)
    assert page.select_one("input[name=minutes]")["value"] == "60"
    db.session.expire_all()
    saved = db.session.get(Contact, contact.id)
    assert (saved.minutes, saved.version, len(saved.practitioners)) == (45, 2, 2)


def test_a_form_with_a_version_that_is_no_version_is_refused_not_a_crash(signed_in, team):
    case = factories.make_case(team)
    manager = signed_in("team_manager")
    opened = open_form(manager, "cases.edit", reference=case.reference)
    for tampered in ("abc", "-3", "99999999999999999999", "0"):
        status, page = submit(
            manager,
            "cases.edit",
            opened | {"version": tampered},
            _details(case, local_authority="Eastbrook Council"),
            reference=case.reference,
        )
        assert status == 200 and refused_as_stale(page), tampered
    db.session.expire_all()
    assert db.session.get(Case, case.id).version == 1


def test_a_save_that_races_past_the_form_check_is_refused_by_the_database(app, team):
    """The form check passed (the version read is the one the form had), but another save
    committed before this one's UPDATE: `WHERE version = 1` matches no row."""
    case = factories.make_case(team, local_authority="Riverside Borough Council")
    loaded = db.session.get(Case, case.id)
    assert loaded.version == 1
    db.session.expunge(loaded)  # keeps what it read: version 1
    db.session.rollback()
    with db.engine.begin() as other:  # someone else's save, on its own connection
        other.execute(
            update(Case).where(Case.id == case.id).values(local_authority="Eastbrook", version=2)
        )

    # A form post, as the page's: its transaction takes SQLite's write lock first.
    with app.test_request_context(method="POST"), pytest.raises(StaleEdit) as refused:
        db.session.add(loaded)
        services.update_case_details(
            loaded,
            {
                "reference": loaded.reference,
                "court_case_number": loaded.court_case_number,
                "local_authority": "Northgate Council",
                "issued_on": loaded.issued_on,
                "entered_on": loaded.entered_on,
            },
            based_on=1,
        )

    assert str(refused.value) == MESSAGE and refused.value.current_version == 2
    db.session.expire_all()
    assert db.session.get(Case, case.id).local_authority == "Eastbrook"
    updates = db.session.scalars(
        select(AuditEvent).where(AuditEvent.table_name == "cases", AuditEvent.action == "update")
    ).all()
    assert updates == []  # the refused save left nothing in the trail either


def test_opening_an_edit_form_writes_no_version(signed_in, team):
    case = factories.make_case(team)
    manager = signed_in("team_manager")
    for endpoint in ("cases.edit", "cases.allocation", "cases.phase"):
        open_form(manager, endpoint, reference=case.reference)
    db.session.expire_all()
    assert db.session.get(Case, case.id).version == 1
    assert date.today()  # noqa: DTZ011 (the clock is not under test)
