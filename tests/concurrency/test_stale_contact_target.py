"""A case's own contact target: a form opened before someone else set, changed or removed the
phase's target is refused with the other change shown and what was typed kept."""

from datetime import date

import pytest
from sqlalchemy import func, select

from fdac.cases.phases import Phase
from fdac.contacts.models import CaseContactTarget
from fdac.extensions import db
from tests import factories
from tests.concurrency.pages import (
    open_form,
    other_change_text,
    refused_as_stale,
    submit,
)

TRIAL = {"phase": "trial_for_change"}


@pytest.fixture
def case(team):
    case = factories.make_case(team, entered_on=date(2026, 9, 7))
    factories.add_parent(case)
    return case


def _target() -> CaseContactTarget | None:
    db.session.rollback()
    return db.session.scalar(
        select(CaseContactTarget).where(CaseContactTarget.phase == Phase.TRIAL_FOR_CHANGE)
    )


def _set(client, case, opened, per_week, reason):
    data = {**TRIAL, "per_week": str(per_week), "reason": reason}
    return submit(client, "contacts.target", opened, data, reference=case.reference)


def test_a_target_form_opened_before_another_change_is_refused_and_can_be_saved_again(
    signed_in, case
):
    first = signed_in("team_manager", name="Asha Patel")
    second = signed_in("team_manager", name="Ben Okafor")
    first_form = open_form(first, "contacts.target", reference=case.reference, **TRIAL)
    second_form = open_form(second, "contacts.target", reference=case.reference, **TRIAL)
    assert _set(first, case, first_form, 3, "Newborn at home")[0] == 302
    changed_form = open_form(first, "contacts.target", reference=case.reference, **TRIAL)
    assert _set(first, case, changed_form, 4, "Baby due home")[0] == 302

    status, page = _set(second, case, second_form, 1, "Doing well")

    assert status == 200 and refused_as_stale(page)
    assert "Asha Patel" in other_change_text(page)
    assert page.select_one("input[name=per_week]")["value"] == "1"  # what was typed is kept
    assert (_target().per_week, _target().reason) == (4, "Baby due home")  # nothing saved
    again = {f["name"]: f.get("value", "") for f in page.select("form input[type=hidden]")}
    assert _set(second, case, again, 1, "Doing well")[0] == 302  # knowingly, over theirs
    assert _target().per_week == 1


def test_two_first_targets_set_at_once_keep_one_and_refuse_the_other(signed_in, case):
    first = signed_in("team_manager")
    second = signed_in("team_manager")
    first_form = open_form(first, "contacts.target", reference=case.reference, **TRIAL)
    second_form = open_form(second, "contacts.target", reference=case.reference, **TRIAL)
    assert first_form["version"] == second_form["version"] == "0"  # no own target yet

    assert _set(first, case, first_form, 3, "Newborn at home")[0] == 302
    status, page = _set(second, case, second_form, 5, "Relapse")

    assert status == 200 and refused_as_stale(page)
    assert db.session.scalar(select(func.count(CaseContactTarget.id))) == 1
    assert _target().per_week == 3


def test_a_target_removed_since_the_form_was_opened_is_refused(signed_in, case):
    manager = signed_in("team_manager")
    first = open_form(manager, "contacts.target", reference=case.reference, **TRIAL)
    assert _set(manager, case, first, 3, "Newborn at home")[0] == 302
    opened = open_form(manager, "contacts.target", reference=case.reference, **TRIAL)
    manager.post("contacts.remove_target", {}, reference=case.reference, phase="trial_for_change")

    status, page = _set(manager, case, opened, 4, "Baby due home")

    assert status == 200 and refused_as_stale(page)
    assert _target() is None
