"""Team settings: a manager sets the team's contact targets and graduation criteria; each change
is audited and shows who made it; nobody else changes them, and no other team's are touched."""

import pytest
from flask import url_for
from sqlalchemy import select

from fdac.audit.models import AuditEvent
from fdac.cases.phases import Phase
from fdac.contacts.models import TeamContactTarget
from fdac.extensions import db
from fdac.graduations.models import GraduationCriteria
from tests import factories
from tests.conftest import error_summary

DEFAULTS = {"referral": "0", "assessment": "1", "trial_for_change": "2", "final_stage": "1"}


def _targets(team) -> dict[Phase, int]:
    return dict(
        db.session.execute(
            select(TeamContactTarget.phase, TeamContactTarget.per_week).where(
                TeamContactTarget.team_id == team.id
            )
        ).all()
    )


def _target_rows(page) -> list[list[str]]:
    return [
        [" ".join(cell.get_text(" ", strip=True).split()) for cell in row.select("th, td")]
        for row in page.select("#targets tbody tr")
    ]


def _criteria_rows(page) -> dict[str, str]:
    return {
        row.select_one("dt").get_text(strip=True): row.select_one("dd").get_text(" ", strip=True)
        for row in page.select("#criteria .govuk-summary-list__row")
    }


@pytest.fixture
def manager(signed_in, team):
    return signed_in(factories.make_user("team_manager", team=team, name="Sam Okafor"))


# The settings page


def test_settings_show_the_defaults_until_the_team_changes_them(manager):
    page = manager.get("team.settings")

    assert page.select_one("h1").get_text(strip=True) == "Team settings"
    assert _target_rows(page) == [
        ["Referral", "0", "Not changed: the FDAC default"],
        ["Assessment", "1", "Not changed: the FDAC default"],
        ["Trial for change", "2", "Not changed: the FDAC default"],
        ["Final stage", "1", "Not changed: the FDAC default"],
    ]
    assert _criteria_rows(page) == {
        "Final order made with the children living with the parent or family": "Required",
        "Trial for change completed": "Required",
        "Weeks of negative or explained tests before the final hearing": "8 weeks",
        "Last changed": "Not changed: the FDAC defaults",
    }
    links = {a.get_text(strip=True): a["href"] for a in page.select("main a")}
    assert links["court set-up"] == url_for("court.index")
    assert links["Change the contact targets"] == url_for("team.targets")
    assert links["Change the graduation criteria"] == url_for("team.criteria")


# Contact targets


def test_targets_form_starts_from_the_current_targets(manager, team):
    db.session.add(TeamContactTarget(team_id=team.id, phase=Phase.TRIAL_FOR_CHANGE, per_week=3))
    db.session.commit()

    page = manager.get("team.targets")

    values = {box["name"]: box["value"] for box in page.select("input[inputmode=numeric]")}
    assert values == DEFAULTS | {"trial_for_change": "3"}
    assert [label.get_text(strip=True) for label in page.select("label")] == [
        "Referral",
        "Assessment",
        "Trial for change",
        "Final stage",
    ]


def test_manager_changes_a_target_and_only_that_phase_is_saved_and_audited(manager, team):
    page = manager.post("team.targets", DEFAULTS | {"trial_for_change": "3"}, 200, _follow=True)

    assert page.select_one("h1").get_text(strip=True) == "Team settings"
    assert "Contact targets saved" in page.select_one(".govuk-notification-banner").get_text()
    assert _targets(team) == {Phase.TRIAL_FOR_CHANGE: 3}
    audited = db.session.scalars(
        select(AuditEvent).where(AuditEvent.table_name == "team_contact_targets")
    ).all()
    assert [(e.action, e.actor_id, e.changes["per_week"]) for e in audited] == [
        ("insert", manager.user.id, [None, 3])
    ]
    trial = _target_rows(page)[2]
    assert trial[:2] == ["Trial for change", "3"]
    assert trial[2].startswith("Changed by Sam Okafor on ")
    assert _target_rows(page)[1][2] == "Not changed: the FDAC default"


def test_saving_the_same_targets_again_writes_nothing(manager, team):
    manager.post("team.targets", DEFAULTS | {"assessment": "2"})
    before = db.session.scalar(select(TeamContactTarget)).set_at

    manager.post("team.targets", DEFAULTS | {"assessment": "2"})

    row = db.session.scalar(select(TeamContactTarget))
    assert (row.per_week, row.set_at) == (2, before)
    events = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.table_name == "team_contact_targets")
    ).all()
    assert events == ["insert"]


def test_changing_a_target_back_updates_the_teams_own_row(manager, team):
    manager.post("team.targets", DEFAULTS | {"final_stage": "4"})
    manager.post("team.targets", DEFAULTS)

    assert _targets(team) == {Phase.FINAL_STAGE: 1}
    assert len(db.session.scalars(select(TeamContactTarget)).all()) == 1


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("15", "Target for trial for change must be between 0 and 14 a week"),
        ("-1", "Target for trial for change must be between 0 and 14 a week"),
        ("two", "Target for trial for change must be a whole number, like 2"),
        ("2.5", "Target for trial for change must be a whole number, like 2"),
        ("", "Enter the target for trial for change"),
    ],
)
def test_a_bad_target_is_refused_with_the_phase_named(manager, team, typed, message):
    page = manager.post("team.targets", DEFAULTS | {"trial_for_change": typed}, 200)

    assert error_summary(page) == [message]
    assert page.title.get_text(strip=True).startswith("Error: ")
    assert _targets(team) == {}


def test_every_bad_target_is_named_at_once_and_nothing_is_saved(manager, team):
    page = manager.post(
        "team.targets",
        {"referral": "3", "assessment": "99", "trial_for_change": "", "final_stage": "x"},
        200,
    )

    assert error_summary(page) == [
        "Target for assessment must be between 0 and 14 a week",
        "Enter the target for trial for change",
        "Target for final stage must be a whole number, like 2",
    ]
    assert _targets(team) == {}


@pytest.mark.parametrize("boundary", ["0", "14"])
def test_targets_from_0_to_14_are_accepted(manager, team, boundary):
    manager.post("team.targets", DEFAULTS | {"assessment": boundary})

    assert _targets(team) == ({Phase.ASSESSMENT: int(boundary)})


def test_only_a_manager_changes_the_targets(signed_in, team):
    practitioner = signed_in("practitioner")
    token = practitioner.get("cases.index").select_one("input[name=csrf_token]")["value"]

    response = practitioner.raw.post(
        url_for("team.targets"), data={"csrf_token": token, **DEFAULTS, "assessment": "5"}
    )

    assert response.status_code == 403
    assert _targets(team) == {}


def test_another_teams_targets_are_never_touched(manager, team):
    other = factories.make_team("Northgate FDAC")
    db.session.add(TeamContactTarget(team_id=other.id, phase=Phase.TRIAL_FOR_CHANGE, per_week=4))
    db.session.commit()

    page = manager.get("team.targets")
    assert page.select_one("input[name=trial_for_change]")["value"] == "2"  # not the other's 4
    manager.post("team.targets", DEFAULTS | {"trial_for_change": "3", "assessment": "2"})

    assert _targets(other) == {Phase.TRIAL_FOR_CHANGE: 4}
    assert _targets(team) == {Phase.TRIAL_FOR_CHANGE: 3, Phase.ASSESSMENT: 2}


# Graduation criteria


def _criteria(team) -> list[tuple]:
    return db.session.execute(
        select(
            GraduationCriteria.final_order_with_family,
            GraduationCriteria.trial_completed,
            GraduationCriteria.clean_weeks,
            GraduationCriteria.set_by_id,
        ).where(GraduationCriteria.team_id == team.id)
    ).all()


def test_criteria_form_starts_from_the_defaults(manager):
    page = manager.get("team.criteria")

    ticked = [box["value"] for box in page.select("input[type=checkbox][checked]")]
    assert ticked == ["final_order_with_family", "trial_completed"]
    assert page.select_one("input[name=clean_weeks]")["value"] == "8"
    labels = [label.get_text(strip=True) for label in page.select(".govuk-checkboxes__label")]
    assert labels == [
        "Final order made with the children living with the parent or family",
        "Trial for change completed",
    ]


def test_manager_changes_the_criteria_and_the_settings_show_who(manager, team):
    manager.post("team.criteria", {"required": ["final_order_with_family"], "clean_weeks": "12"})

    assert _criteria(team) == [(True, False, 12, manager.user.id)]
    rows = _criteria_rows(manager.get("team.settings"))
    assert rows["Trial for change completed"] == "Not required"
    assert rows["Weeks of negative or explained tests before the final hearing"] == "12 weeks"
    assert rows["Last changed"].startswith("Changed by Sam Okafor on ")
    audited = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.table_name == "graduation_criteria")
    ).all()
    assert audited == ["insert"]


def test_criteria_are_one_row_per_team_changed_in_place(manager, team):
    manager.post("team.criteria", {"required": ["trial_completed"], "clean_weeks": "4"})
    manager.post("team.criteria", {"clean_weeks": "0"})  # nothing ticked: neither required

    assert _criteria(team) == [(False, False, 0, manager.user.id)]
    page = manager.get("team.settings")
    assert (
        _criteria_rows(page)["Weeks of negative or explained tests before the final hearing"]
        == "Not required"
    )


def test_saving_the_default_criteria_unchanged_writes_nothing(manager, team):
    manager.post(
        "team.criteria",
        {"required": ["final_order_with_family", "trial_completed"], "clean_weeks": "8"},
    )

    assert _criteria(team) == []


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("27", "Weeks of negative or explained tests must be between 0 and 26 (0 if not required)"),
        ("-2", "Weeks of negative or explained tests must be between 0 and 26 (0 if not required)"),
        ("eight", "Weeks of negative or explained tests must be a whole number, like 8"),
        ("", "Enter the weeks of negative or explained tests, or 0 if not required"),
    ],
)
def test_bad_weeks_of_clean_tests_are_refused_by_name(manager, team, typed, message):
    page = manager.post(
        "team.criteria", {"required": ["trial_completed"], "clean_weeks": typed}, 200
    )

    assert error_summary(page) == [message]
    assert _criteria(team) == []
    # The form is shown again as it was sent.
    assert [b["value"] for b in page.select("input[type=checkbox][checked]")] == ["trial_completed"]


def test_only_a_manager_changes_the_criteria_and_never_another_teams(signed_in, manager, team):
    other = factories.make_team("Northgate FDAC")
    db.session.add(GraduationCriteria(team_id=other.id, clean_weeks=20))
    db.session.commit()
    practitioner = signed_in("practitioner")
    token = practitioner.get("cases.index").select_one("input[name=csrf_token]")["value"]
    refused = practitioner.raw.post(
        url_for("team.criteria"), data={"csrf_token": token, "clean_weeks": "1"}
    )

    manager.post("team.criteria", {"clean_weeks": "2"})

    assert refused.status_code == 403
    assert _criteria(other)[0][:3] == (True, True, 20)
    assert _criteria(team)[0][:3] == (False, False, 2)
