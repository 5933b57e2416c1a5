"""GET /api/v1/hearings: the hearings of the caller's cases (the calendar's rule), with fixed
kind codes, London times with their offset, where a moved hearing stood and why, a page at a
time."""

from datetime import date, time, timedelta

from sqlalchemy import event

from fdac.extensions import db
from hearings import booking
from hearings.booking import When
from hearings.kinds import HearingStatus
from tests import factories
from tests.api.conftest import make_lab

URL = "/api/v1/hearings"


def _judged_case(team, judge=None):
    judge = judge or factories.make_user("judge", team=team)
    return factories.make_case(team, judge_id=judge.id), judge


def test_a_judge_sees_only_their_cases_hearings(api_as, team):
    mine, judge = _judged_case(team)
    theirs, _ = _judged_case(team)
    kept = factories.add_hearing(mine, date(2026, 3, 2))
    factories.add_hearing(theirs, date(2026, 3, 2))
    body = api_as(judge).get(URL).get_json()
    assert [h["id"] for h in body["items"]] == [kept.id]
    assert body["items"][0]["case"] == mine.reference
    assert body["total"] == 1


def test_a_practitioner_sees_their_teams_hearings_only(api_as, team):
    ours, _ = _judged_case(team)
    other_team = factories.make_team()
    elsewhere, _ = _judged_case(other_team)
    first = factories.add_hearing(ours, date(2026, 3, 2))
    second = factories.add_hearing(ours, date(2026, 3, 16), "irh")
    factories.add_hearing(elsewhere, date(2026, 3, 2))
    body = api_as("practitioner").get(URL).get_json()
    assert [h["id"] for h in body["items"]] == [first.id, second.id]


def test_a_lab_and_an_admin_may_not_list_hearings(api_as, team, anonymous_api):
    case, _ = _judged_case(team)
    factories.add_hearing(case, date(2026, 3, 2))
    assert api_as(make_lab(team)).get(URL).status_code == 403
    admin = factories.make_user("admin")
    response = api_as(admin).get(URL)
    assert response.status_code == 403
    assert response.get_json()["errors"][0]["field"] is None
    assert anonymous_api.get(URL).status_code == 401


def test_from_and_to_include_both_days_and_judge_filters_by_id(api_as, team):
    case, judge = _judged_case(team)
    other_case, other_judge = _judged_case(team)
    before = factories.add_hearing(case, date(2026, 3, 1))
    first = factories.add_hearing(case, date(2026, 3, 2))
    last = factories.add_hearing(case, date(2026, 3, 9))
    factories.add_hearing(case, date(2026, 3, 10))
    others = factories.add_hearing(other_case, date(2026, 3, 4))
    api = api_as("team_manager")

    def ids(params):
        return [h["id"] for h in api.get(f"{URL}?{params}").get_json()["items"]]

    assert ids("from=2026-03-02&to=2026-03-09") == [first.id, others.id, last.id]
    assert ids("to=2026-03-01") == [before.id]
    assert ids(f"judge={other_judge.id}") == [others.id]
    assert ids(f"judge={judge.id}&from=2026-03-09&to=2026-03-09") == [last.id]
    # A judge whose hearings are not open to the caller: an empty list, which reveals nothing.
    stranger = factories.make_user("judge", team=factories.make_team())
    assert ids(f"judge={stranger.id}") == []
    assert ids("judge=2147483647") == []


def test_kind_codes_with_the_full_label(api_as, team):
    case, _ = _judged_case(team)
    factories.add_hearing(case, date(2026, 3, 2), "directions")
    factories.add_hearing(case, date(2026, 3, 3), "fcmh")
    factories.add_hearing(case, date(2026, 3, 4), "contested")
    factories.add_hearing(case, date(2026, 3, 5), "first_hearing")
    items = api_as("practitioner").get(URL).get_json()["items"]
    assert [(h["kind"], h["kind_label"]) for h in items] == [
        ("other", "Directions hearing"),
        ("fcmh", "Further case management hearing (FCMH)"),
        ("other", "Contested hearing"),
        ("first_hearing", "First hearing"),
    ]


def test_starts_at_carries_the_london_offset_summer_and_winter(api_as, team):
    case, judge = _judged_case(team)
    factories.add_hearing(case, date(2026, 1, 12), starts_at=time(10, 0))
    factories.add_hearing(case, date(2026, 6, 1), starts_at=time(14, 30))
    items = api_as("practitioner").get(URL).get_json()["items"]
    assert [h["starts_at"] for h in items] == [
        "2026-01-12T10:00:00+00:00",
        "2026-06-01T14:30:00+01:00",
    ]
    first = items[0]
    assert first["judge"] == judge.name and first["judge_id"] == judge.id
    assert first["court"] == team.court_name
    assert first["status"] == "planned"
    assert (first["moved"], first["moved_from"], first["moved_reason"]) == (False, None, None)


def test_a_moved_hearing_says_where_it_stood_and_why(api_as, team):
    manager = factories.make_user("team_manager", team=team)
    case, judge = _judged_case(team)
    day = date(2026, 6, 1)
    hearing = factories.add_hearing(case, day, "fcmh", starts_at=time(10, 0))
    booking.move(
        hearing,
        When(day=day + timedelta(days=2), starts_at=time(11, 30), judge_id=judge.id),
        "The parent is in hospital",
        by=manager,
    )
    [item] = api_as(manager).get(URL).get_json()["items"]
    assert item["starts_at"] == "2026-06-03T11:30:00+01:00"
    assert item["moved"] is True
    assert item["moved_from"] == "2026-06-01T10:00:00+01:00"
    assert item["moved_reason"] == "The parent is in hospital"


def test_a_review_the_planner_booked_off_its_date(api_as, team):
    case, _ = _judged_case(team)
    factories.add_hearing(
        case,
        date(2026, 3, 3),
        planned_for=date(2026, 3, 2),
        move_reason="The court is closed on 2 March 2026",
    )
    [item] = api_as("practitioner").get(URL).get_json()["items"]
    assert item["kind"] == "nlr"
    assert item["planned_for"] == "2026-03-02"
    assert item["moved"] is True and item["moved_from"] is None
    assert item["moved_reason"] == "The court is closed on 2 March 2026"


def test_a_cancelled_hearing_is_listed_with_its_reason(api_as, team):
    case, _ = _judged_case(team)
    hearing = factories.add_hearing(case, date(2026, 3, 2))
    hearing.status = HearingStatus.CANCELLED
    hearing.cancel_reason = "The family left the programme"
    db.session.commit()
    [item] = api_as("practitioner").get(URL).get_json()["items"]
    assert (item["status"], item["cancel_reason"]) == ("cancelled", hearing.cancel_reason)
    assert item["moved"] is False


def _selects(api, path) -> tuple[int, dict]:
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        body = api.get(path).get_json()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len([s for s in statements if s.lstrip().upper().startswith("SELECT")]), body


def test_paging_in_time_order_without_a_query_per_hearing(api_as, team, app, monkeypatch):
    monkeypatch.setitem(app.config, "API_PAGE_SIZE", 2)
    cases = [_judged_case(team)[0] for _ in range(3)]
    made = [
        factories.add_hearing(case, date(2026, 3, 2), starts_at=time(12 - i, 0))
        for i, case in enumerate(cases)
    ]
    made.append(factories.add_hearing(cases[0], date(2026, 2, 2)))
    api = api_as("practitioner")
    few, first = _selects(api, URL)
    second = api.get(f"{URL}?page=2").get_json()
    assert (first["page"], first["pages"], first["per_page"], first["total"]) == (1, 2, 2, 4)
    order = [h["id"] for h in first["items"] + second["items"]]
    assert order == [made[3].id, made[2].id, made[1].id, made[0].id]
    beyond = api.get(f"{URL}?page=9").get_json()
    assert beyond["items"] == [] and beyond["total"] == 4
    # Twice the hearings (each case with its own judge), the same number of queries.
    monkeypatch.setitem(app.config, "API_PAGE_SIZE", 4)
    many, everything = _selects(api, URL)
    assert len(everything["items"]) == 4
    assert many == few


def test_bad_queries_are_422_naming_each_field(api_as):
    api = api_as("practitioner")
    response = api.get(f"{URL}?from=2026-13-01&to=yesterday&judge=0&page=0&colour=red")
    assert response.status_code == 422
    fields = sorted(e["field"] for e in response.get_json()["errors"])
    assert fields == ["colour", "from", "judge", "page", "to"]
    response = api.get(f"{URL}?from=2026-03-09&to=2026-03-02")
    assert response.status_code == 422
    assert [e["field"] for e in response.get_json()["errors"]] == ["to"]
    huge = api.get(f"{URL}?judge=99999999999999999999999&page=99999999999999")
    assert huge.status_code == 422
    assert api.get(f"{URL}?from=1700000000").status_code == 422  # ISO dates only


def test_the_document_describes_the_endpoint(api_as):
    doc = api_as("practitioner").get("/api/v1/openapi.json").get_json()
    operation = doc["paths"]["/hearings"]["get"]
    params = {p["name"]: p for p in operation["parameters"]}
    assert set(params) == {"from", "to", "judge", "page"}
    assert "user id" in params["judge"]["description"]
    assert {"200", "401", "403", "422", "429"} <= set(operation["responses"])
    schema = doc["components"]["schemas"]["HearingOut"]
    assert schema["properties"]["kind"]["enum"] == [
        "first_hearing", "fcmh", "nlr", "irh", "final_hearing", "other",
    ]  # fmt: skip
