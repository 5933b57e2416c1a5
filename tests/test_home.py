"""The home page: a team manager's dashboard of flags and hearings; everyone else sent on."""

from datetime import time, timedelta

import pytest
from flask import url_for

from fdac.dates import london_today
from fdac.extensions import db
from fdac.flags.models import Flag
from fdac.flags.services import raise_flag
from hearings.kinds import HearingStatus
from tests import factories


@pytest.fixture
def judge(team):
    return factories.make_user("judge", team=team, name="HHJ Marsh")


def _flag(case, kind, subject="", message="Something to look at"):
    flag = raise_flag(case, kind, subject, message)
    db.session.commit()
    return flag


def _flag_rows(page) -> list[str]:
    return [" ".join(row.get_text(" ", strip=True).split()) for row in page.select("tr.app-flag")]


def _resolve_button(page, flag):
    return page.select_one(f"form[action='{url_for('flags.resolve', flag_id=flag.id)}']")


def test_manager_sees_open_flags_grouped_by_kind_with_links(signed_in, team, judge):
    team.name = "Riverside FDAC"
    db.session.commit()
    case = factories.make_case(team, judge_id=judge.id, reference="FDAC-2027-0001")
    hearing = factories.add_hearing(case, london_today() + timedelta(days=3))
    moved = _flag(case, "hearing_moved", f"hearing:{hearing.id}", "Moved: bank holiday")
    _flag(case, "no_nlr_soon", "", "No review is booked in the next 14 days")
    resolved = _flag(case, "review_not_booked", "planned:2027-01-04", "Could not be booked")
    resolved.resolved_at = moved.raised_at
    db.session.commit()

    page = signed_in("team_manager").get("home")

    assert page.title.get_text(strip=True) == "Home – FDAC Manager"
    assert page.select_one("h1").get_text(strip=True) == "Riverside FDAC"
    captions = [c.get_text(strip=True) for c in page.select("table[id^=flags-] caption")]
    assert captions == [
        "Review moved from its planned date (1)",
        "No review in the next 14 days (1)",
    ]
    assert _flag_rows(page)[0].startswith("FDAC-2027-0001 Moved: bank holiday See the hearing")
    links = {a.get_text(" ", strip=True): a["href"] for a in page.select("tr.app-flag a")}
    assert links["FDAC-2027-0001"] == url_for("cases.show", reference=case.reference)
    assert links["See the hearing for FDAC-2027-0001"] == url_for(
        "hearings.show", reference=case.reference, hearing_id=hearing.id
    )
    assert "Could not be booked" not in page.get_text()  # already dealt with
    assert page.select_one("#no-flags") is None


def test_manager_marks_a_flag_as_dealt_with_and_it_goes(signed_in, team, judge):
    manager = signed_in("team_manager")
    case = factories.make_case(team, judge_id=judge.id)
    flag = _flag(case, "review_not_booked", "planned:2027-01-04", "Could not be booked")
    form = _resolve_button(manager.get("home"), flag)
    assert form.button.get_text(" ", strip=True).startswith("Mark as dealt with")

    response = manager.raw.post(
        form["action"], data={"csrf_token": form.select_one("[name=csrf_token]")["value"]}
    )

    assert response.status_code == 302 and response.location == url_for("home")
    page = manager.get("home")
    assert "Review could not be booked on" in page.select_one(".govuk-notification-banner").text
    assert page.select_one("#no-flags").get_text(strip=True) == "Nothing needs your attention."
    flag = db.session.get(Flag, flag.id)
    assert flag.resolved_by_id == manager.user.id and not flag.is_open


def test_flags_the_daily_job_clears_have_no_button_and_cannot_be_dismissed(signed_in, team):
    manager = signed_in("team_manager")
    case = factories.make_case(team)
    flag = _flag(case, "outcome_missing", "hearing:7", "The NLR on 1 March 2027 has no outcome")
    page = manager.get("home")
    assert _flag_rows(page) and _resolve_button(page, flag) is None

    token = manager.get("home").select_one("input[name=csrf_token]")["value"]
    response = manager.raw.post(
        url_for("flags.resolve", flag_id=flag.id), data={"csrf_token": token}
    )

    assert response.status_code == 400
    assert db.session.get(Flag, flag.id).is_open


def test_another_teams_flags_are_never_shown_nor_resolvable(signed_in, team):
    manager = signed_in("team_manager")
    other_case = factories.make_case(factories.make_team(), reference="FDAC-2027-0999")
    theirs = _flag(other_case, "hearing_moved", "hearing:3", "Their review moved")

    page = manager.get("home")
    assert "FDAC-2027-0999" not in page.get_text()
    assert page.select_one("#no-flags") is not None

    token = page.select_one("input[name=csrf_token]")["value"]
    response = manager.raw.post(
        url_for("flags.resolve", flag_id=theirs.id), data={"csrf_token": token}
    )
    assert response.status_code == 404
    assert db.session.get(Flag, theirs.id).is_open


def test_manager_sees_todays_hearings_and_the_weeks_count(signed_in, team, judge):
    today = london_today()
    case = factories.make_case(team, judge_id=judge.id, reference="FDAC-2027-0002")
    other = factories.make_case(team, judge_id=judge.id, reference="FDAC-2027-0003")
    factories.add_hearing(case, today, starts_at=time(10, 30))
    factories.add_hearing(other, today, kind="irh", starts_at=time(14, 0), duration_minutes=60)
    factories.add_hearing(other, today - timedelta(days=1))
    for days in (1, 7):
        factories.add_hearing(case, today + timedelta(days=days))
    factories.add_hearing(case, today + timedelta(days=8))  # beyond the week
    factories.add_hearing(other, today + timedelta(days=2), status=HearingStatus.CANCELLED)
    elsewhere = factories.make_case(factories.make_team())
    factories.add_hearing(elsewhere, today)
    factories.add_hearing(elsewhere, today + timedelta(days=3))

    page = signed_in("team_manager").get("home")

    todays = [
        " ".join(li.get_text(" ", strip=True).split()) for li in page.select("#todays-hearings li")
    ]
    assert todays == [
        "10:30am FDAC-2027-0002 , NLR for FDAC-2027-0002 with HHJ Marsh",
        "2:00pm FDAC-2027-0003 , IRH for FDAC-2027-0003 with HHJ Marsh",
    ]
    assert page.select_one("#week-ahead").get_text(" ", strip=True) == (
        "2 hearings in the next 7 days."
    )
    calendar = page.find("a", string="See the hearings calendar")
    assert calendar["href"] == url_for("calendar.index")


def test_quiet_day_says_so(signed_in):
    page = signed_in("team_manager").get("home")
    assert page.select_one("#no-flags").get_text(strip=True) == "Nothing needs your attention."
    assert page.select_one("#todays-hearings").get_text(strip=True) == "No hearings today."
    assert page.select_one("#week-ahead").get_text(strip=True) == "0 hearings in the next 7 days."


@pytest.mark.parametrize(
    ("role", "lands_on"),
    [("admin", "users.index"), ("judge", "calendar.day"), ("practitioner", "cases.index")],
)
def test_everyone_else_starts_where_their_work_is(signed_in, client, role, lands_on):
    response = signed_in(role).raw.get(url_for("home"))
    assert response.status_code == 302
    assert response.location == url_for(lands_on)


def test_signed_out_visitor_is_asked_to_sign_in(client):
    response = client.raw.get(url_for("home"))
    assert response.location.startswith(url_for("auth.sign_in"))
