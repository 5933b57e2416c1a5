"""can() and visible_cases() agree for every role: a list never shows what a page refuses."""

import pytest
from sqlalchemy import select

from fdac.auth.access import Action, can, visible_cases
from fdac.cases.models import Case
from fdac.cases.phases import Phase
from fdac.extensions import db
from tests import factories


@pytest.fixture
def two_teams():
    mine, theirs = factories.make_team(), factories.make_team()
    judge = factories.make_user("judge", team=mine)
    other_judge = factories.make_user("judge", team=mine)
    cases = {
        "own": factories.make_case(mine, judge_id=judge.id),
        "own_other_judge": factories.make_case(mine, judge_id=other_judge.id),
        "own_closed": factories.make_case(mine, phase=Phase.CLOSED, judge_id=judge.id),
        "other_team": factories.make_case(theirs),
    }
    return mine, judge, cases


@pytest.mark.parametrize("role", ["admin", "team_manager", "practitioner", "judge"])
def test_list_and_detail_agree_for_every_role(role, two_teams):
    team, judge, cases = two_teams
    user = judge if role == "judge" else factories.make_user(role, team=team)
    listed = set(db.session.scalars(visible_cases(user)))
    viewable = {c for c in db.session.scalars(select(Case)) if can(user, Action.VIEW_CASE, c)}
    assert listed == viewable


def test_practitioner_sees_own_team_only(two_teams):
    team, _, cases = two_teams
    worker = factories.make_user("practitioner", team=team)
    assert can(worker, Action.VIEW_CASE, cases["own"])
    assert not can(worker, Action.VIEW_CASE, cases["other_team"])


def test_judge_sees_only_cases_allocated_to_them_and_changes_nothing(two_teams):
    _, judge, cases = two_teams
    assert set(db.session.scalars(visible_cases(judge))) == {cases["own"], cases["own_closed"]}
    for action in (Action.EDIT_CASE, Action.EDIT_PEOPLE, Action.ALLOCATE, Action.CHANGE_PHASE):
        assert not can(judge, action, cases["own"])


def test_admin_sees_no_case_data(two_teams):
    _, _, cases = two_teams
    admin = factories.make_user("admin")
    assert list(db.session.scalars(visible_cases(admin))) == []
    assert not any(can(admin, Action.VIEW_CASE, c) for c in cases.values())
    assert can(admin, Action.MANAGE_USERS)


def test_closed_case_is_read_not_changed(two_teams):
    team, _, cases = two_teams
    manager = factories.make_user("team_manager", team=team)
    assert can(manager, Action.VIEW_CASE, cases["own_closed"])
    assert not can(manager, Action.EDIT_PEOPLE, cases["own_closed"])
    assert not can(manager, Action.CHANGE_PHASE, cases["own_closed"])


def test_deactivated_user_can_do_nothing(two_teams):
    team, _, cases = two_teams
    manager = factories.make_user("team_manager", team=team, active=False)
    assert not can(manager, Action.VIEW_CASE, cases["own"])
    assert list(db.session.scalars(visible_cases(manager))) == []
