"""An administrator's edit of a user's profile loses no update (docs/decisions/0034): the form
carries the profile_version it was opened at; a save based on an older one is refused with the
other change shown and what was typed kept. Signing in writes the same row and makes no form
stale. Two saves racing past the form check: exactly one is kept."""

import threading

from sqlalchemy import select

from fdac.audit.models import AuditEvent
from fdac.auth.models import User
from fdac.auth.roles import Role
from fdac.extensions import db
from fdac.users import services
from fdac.versions import MESSAGE, StaleEdit
from tests import factories
from tests.concurrency.pages import (
    hidden_version,
    open_form,
    other_change_text,
    refused_as_stale,
    submit,
)


def _profile(user, **overrides) -> dict:
    data = {
        "name": user.name,
        "email": user.email,
        "role": user.role.value,
        "team_id": str(user.team_id or ""),
    }
    return data | overrides


def _profile_updates(user_id: int) -> list[dict]:
    db.session.rollback()  # see what the requests or threads committed
    events = db.session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.table_name == "users",
            AuditEvent.record_id == str(user_id),
            AuditEvent.action == "update",
        )
        .order_by(AuditEvent.id)
    )
    return [e.changes for e in events if "profile_version" in e.changes]


def test_a_stale_profile_edit_is_refused_showing_the_other_change_and_saving_nothing(
    signed_in, team
):
    user = factories.make_user("practitioner", team=team, name="Tom Okafor")
    other_team = factories.make_team(name="Eastbrook FDAC")
    first = signed_in("admin", name="Asha Patel")
    second = signed_in("admin", name="Ben Okafor")
    mine = open_form(first, "users.edit", user_id=user.id)
    theirs = open_form(second, "users.edit", user_id=user.id)
    assert mine["version"] == "1"

    status, _ = submit(
        second,
        "users.edit",
        theirs,
        _profile(user, role="team_manager", team_id=str(other_team.id)),
        user_id=user.id,
    )
    assert status == 302
    status, page = submit(
        first, "users.edit", mine, _profile(user, name="Thomas Okafor"), user_id=user.id
    )

    assert status == 200 and refused_as_stale(page)
    shown = other_change_text(page)
    assert "Ben Okafor" in shown
    assert f"Role {Role.PRACTITIONER.label} → {Role.TEAM_MANAGER.label}" in shown
    assert f"Team {team.name} → Eastbrook FDAC" in shown
    assert "Signed in" not in shown and "Session version" not in shown
    assert page.select_one("input[name=name]")["value"] == "Thomas Okafor"  # kept
    db.session.expire_all()
    saved = db.session.get(User, user.id)
    assert (saved.name, saved.role, saved.team_id) == (
        "Tom Okafor",
        Role.TEAM_MANAGER,
        other_team.id,
    )
    assert saved.profile_version == 2
    assert len(_profile_updates(user.id)) == 1  # the refused save left nothing in the trail

    # Based on the current version now: saving again applies the change, knowingly.
    assert hidden_version(page) == "2"
    again = {**mine, "version": hidden_version(page)}
    status, _ = submit(
        first,
        "users.edit",
        again,
        _profile(saved, name="Thomas Okafor"),
        user_id=user.id,
    )
    assert status == 302
    db.session.expire_all()
    saved = db.session.get(User, user.id)
    assert (saved.name, saved.role, saved.profile_version) == (
        "Thomas Okafor",
        Role.TEAM_MANAGER,
        3,
    )


def test_the_user_signing_in_between_opening_and_saving_makes_no_form_stale(signed_in, team):
    user = factories.make_user("practitioner", team=team, name="Tom Okafor")
    admin = signed_in("admin")
    opened = open_form(admin, "users.edit", user_id=user.id)

    signed_in(user)  # writes the row: last sign-in, the two-factor step, ...
    db.session.expire_all()
    assert db.session.get(User, user.id).last_signed_in_at is not None

    status, _ = submit(
        admin, "users.edit", opened, _profile(user, name="Thomas Okafor"), user_id=user.id
    )
    assert status == 302
    db.session.expire_all()
    saved = db.session.get(User, user.id)
    assert (saved.name, saved.profile_version) == ("Thomas Okafor", 2)


def test_saving_an_unchanged_profile_moves_no_version(signed_in, team):
    user = factories.make_user("practitioner", team=team)
    admin = signed_in("admin")
    opened = open_form(admin, "users.edit", user_id=user.id)
    status, _ = submit(admin, "users.edit", opened, _profile(user), user_id=user.id)
    assert status == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).profile_version == 1
    assert _profile_updates(user.id) == []


def test_a_deactivation_opened_before_a_change_of_the_profile_is_refused(signed_in, team):
    user = factories.make_user("practitioner", team=team, name="Tom Okafor")
    first = signed_in("admin")
    second = signed_in("admin", name="Ben Okafor")
    confirm = open_form(first, "users.set_active", user_id=user.id, change="deactivate")
    assert confirm["version"] == "1"
    edit = open_form(second, "users.edit", user_id=user.id)
    status, _ = submit(
        second, "users.edit", edit, _profile(user, name="Thomas Okafor"), user_id=user.id
    )
    assert status == 302

    status, page = submit(
        first, "users.set_active", confirm, {}, user_id=user.id, change="deactivate"
    )
    assert status == 200 and refused_as_stale(page)
    assert "Name Tom Okafor → Thomas Okafor" in other_change_text(page)
    db.session.expire_all()
    assert db.session.get(User, user.id).active is True

    # Again, from the page shown: based on version 2, deactivated.
    status, _ = submit(
        first,
        "users.set_active",
        {**confirm, "version": hidden_version(page)},
        {},
        user_id=user.id,
        change="deactivate",
    )
    assert status == 302
    db.session.expire_all()
    saved = db.session.get(User, user.id)
    assert (saved.active, saved.profile_version) == (False, 3)


def test_an_edit_opened_before_a_deactivation_is_refused_showing_it(signed_in, team):
    user = factories.make_user("practitioner", team=team, name="Tom Okafor")
    first = signed_in("admin")
    second = signed_in("admin", name="Ben Okafor")
    edit = open_form(first, "users.edit", user_id=user.id)
    confirm = open_form(second, "users.set_active", user_id=user.id, change="deactivate")
    status, _ = submit(
        second, "users.set_active", confirm, {}, user_id=user.id, change="deactivate"
    )
    assert status == 302

    status, page = submit(
        first, "users.edit", edit, _profile(user, name="Thomas Okafor"), user_id=user.id
    )
    assert status == 200 and refused_as_stale(page)
    assert "Active Yes → No" in other_change_text(page)
    db.session.expire_all()
    assert db.session.get(User, user.id).name == "Tom Okafor"


def test_a_version_that_is_no_version_is_refused_not_a_crash(signed_in, team):
    user = factories.make_user("practitioner", team=team)
    admin = signed_in("admin")
    opened = open_form(admin, "users.edit", user_id=user.id)
    for tampered in ("x", "-1", "99", "1.5"):
        status, page = submit(
            admin,
            "users.edit",
            {**opened, "version": tampered},
            _profile(user, name="Someone Else"),
            user_id=user.id,
        )
        assert status == 200 and refused_as_stale(page), tampered
    db.session.expire_all()
    assert db.session.get(User, user.id).profile_version == 1


def test_opening_the_forms_writes_no_version(signed_in, team):
    user = factories.make_user("practitioner", team=team)
    admin = signed_in("admin")
    open_form(admin, "users.edit", user_id=user.id)
    open_form(admin, "users.set_active", user_id=user.id, change="deactivate")
    db.session.expire_all()
    assert db.session.get(User, user.id).profile_version == 1


def test_parallel_profile_saves_racing_past_the_form_check_keep_exactly_one(app, team):
    """Each save read version 1 and passed the form check before any committed: the
    `UPDATE ... WHERE profile_version = 1` lets exactly one through; the others get StaleEdit
    and leave nothing in the record or the trail."""
    user = factories.make_user("practitioner", team=team, name="Tom Okafor")
    admin = factories.make_user("admin")
    user_id, admin_id = user.id, admin.id
    editors = 4
    barrier = threading.Barrier(editors)
    results: list = [None] * editors
    failures: list = []

    def save(i):
        try:
            with app.app_context():
                loaded = db.session.get(User, user_id)
                by = db.session.get(User, admin_id)
                based_on = loaded.profile_version
                _ = loaded.served_teams, loaded.role
                barrier.wait(timeout=30)  # everyone has read version 1
                try:
                    services.save_user(
                        loaded,
                        name=f"Name {i}",
                        email=loaded.email,
                        role=loaded.role,
                        team_id=loaded.team_id,
                        by=by,
                        based_on=based_on,
                    )
                except StaleEdit as error:
                    results[i] = ("refused", str(error), error.current_version, error.changes)
                else:
                    results[i] = ("accepted", f"Name {i}", None, None)
                finally:
                    db.session.remove()
        except BaseException as error:  # noqa: BLE001 (handed to the test's thread)
            failures.append(error)

    threads = [threading.Thread(target=save, args=(i,)) for i in range(editors)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert failures == []
    accepted = [value for outcome, value, _, _ in results if outcome == "accepted"]
    refused = [r for r in results if r[0] == "refused"]
    assert len(accepted) == 1 and len(refused) == editors - 1
    for _, message, current, changes in refused:
        assert (message, current) == (MESSAGE, 2)
        assert [c.fields[0].after for c in changes] == accepted  # the winner's change shown
    updates = _profile_updates(user_id)
    assert [u["name"][1] for u in updates] == accepted
    saved = db.session.get(User, user_id)
    assert (saved.name, saved.profile_version) == (accepted[0], 2)
