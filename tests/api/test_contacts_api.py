"""POST /api/v1/cases/{reference}/contacts: a contact recorded as the contact page records it
(the same service, its checks and messages), every broken rule named at once, nothing saved on
bad input, the judge and the lab refused, another team's case not found, and audited."""

from datetime import date, timedelta

from sqlalchemy import func, select

from fdac.audit.models import AuditEvent
from fdac.cases.phases import Phase
from fdac.contacts import services
from fdac.contacts.models import Contact
from fdac.dates import london_today
from fdac.extensions import db
from tests import factories
from tests.api.conftest import make_lab


def _family(team):
    case = factories.make_case(team, entered_on=date(2026, 1, 5))
    return case, factories.add_parent(case, "Kelly Ashworth")


def _body(parent, *people, **changes):
    body = {
        "parent_id": parent.id,
        "on": (london_today() - timedelta(days=3)).isoformat(),
        "at": "14:30",
        "kind": "home_visit",
        "outcome": "attended",
        "minutes": 45,
        "practitioner_ids": [p.id for p in people],
        "note": "Kitchen clean; talked through the week's plan",
    }
    return {**body, **changes}


def _url(case) -> str:
    return f"/api/v1/cases/{case.reference}/contacts"


def _contacts() -> int:
    return db.session.scalar(select(func.count(Contact.id)))


def _fields(response) -> list[str]:
    return sorted(e["field"] for e in response.get_json()["errors"])


def test_a_practitioner_records_a_contact_the_page_then_shows(api_as, team):
    case, kelly = _family(team)
    api = api_as("practitioner")
    colleague = factories.make_user("team_manager", team=team, name="Aaron Cole")
    response = api.post(_url(case), json=_body(kelly, api.user, colleague))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    day = london_today() - timedelta(days=3)
    assert body["case"] == case.reference
    assert (body["parent_id"], body["on"], body["at"]) == (kelly.id, day.isoformat(), "14:30")
    assert body["starts_at"].startswith(f"{day.isoformat()}T14:30:00+0")
    assert (body["kind"], body["kind_label"]) == ("home_visit", "Home visit")
    assert (body["outcome"], body["outcome_label"]) == ("attended", "Attended")
    assert body["minutes"] == 45
    assert body["practitioners"] == [
        {"id": colleague.id, "name": "Aaron Cole"},
        {"id": api.user.id, "name": api.user.name},
    ]
    assert body["recorded_by"] == {"id": api.user.id, "name": api.user.name}
    assert body["note"] == "Kitchen clean; talked through the week's plan"
    # The contacts page reads it with its own query, as if typed on the page.
    [listed] = db.session.scalars(services.contacts_query(case, services.Filters())).all()
    assert listed.id == body["id"]
    entry = services.entry_of(listed)
    assert (entry.day, entry.at_time.strftime("%H:%M")) == (day, "14:30")
    assert set(entry.practitioner_ids) == {colleague.id, api.user.id}
    assert listed.recorded_by_id == api.user.id


def test_a_winter_time_has_offset_zero_and_a_summer_one_plus_one(api_as, team):
    case, kelly = _family(team)
    api = api_as("team_manager")
    winter = api.post(_url(case), json=_body(kelly, api.user, on="2026-01-12", at="09:05"))
    summer = api.post(_url(case), json=_body(kelly, api.user, on="2026-06-01", at="09:05"))
    assert winter.get_json()["starts_at"] == "2026-01-12T09:05:00+00:00"
    assert summer.get_json()["starts_at"] == "2026-06-01T09:05:00+01:00"
    stored = db.session.get(Contact, summer.get_json()["id"])
    assert stored.at.hour == 8  # 09:05 BST is 08:05 UTC, as the page stores it


def test_every_broken_rule_is_named_at_once_and_nothing_is_saved(api_as, team):
    case, kelly = _family(team)
    other_case, stranger = _family(team)
    elsewhere = factories.make_user("practitioner", team=factories.make_team())
    api = api_as("practitioner")
    response = api.post(
        _url(case),
        json=_body(
            stranger,
            elsewhere,
            on=(london_today() + timedelta(days=2)).isoformat(),
            minutes=0,
            note="x" * 2001,
        ),
    )
    assert response.status_code == 422
    assert _fields(response) == ["minutes", "note", "on", "parent_id", "practitioner_ids"]
    messages = {e["field"]: e["message"] for e in response.get_json()["errors"]}
    assert messages["on"] == "The date and time of the contact must be in the past"
    assert messages["practitioner_ids"] == "Select practitioners from this team's list"
    assert _contacts() == 0


def test_bad_types_and_unknown_fields_are_named_at_once(api_as, team):
    case, kelly = _family(team)
    api = api_as("practitioner")
    response = api.post(
        _url(case),
        json={
            "parent_id": "one",
            "on": "12/01/2026",
            "at": "2pm",
            "kind": "carrier_pigeon",
            "outcome": "maybe",
            "minutes": 45.5,
            "practitioner_ids": [True],
            "colour": "red",
        },
    )
    assert response.status_code == 422
    assert _fields(response) == [
        "at", "colour", "kind", "minutes", "on", "outcome", "parent_id", "practitioner_ids[0]",
    ]  # fmt: skip
    messages = {e["field"]: e["message"] for e in response.get_json()["errors"]}
    assert messages["at"].startswith("Enter the time as HH:MM")
    assert api.post(_url(case), json={}).status_code == 422
    missing = _fields(api.post(_url(case), json={"parent_id": kelly.id}))
    assert missing == ["at", "kind", "minutes", "on", "outcome", "practitioner_ids"]
    huge = api.post(_url(case), json=_body(kelly, api.user, minutes=10**30, parent_id=10**30))
    assert _fields(huge) == ["minutes", "parent_id"]
    assert api.post(_url(case), data="kind=phone").status_code == 415
    # PostgreSQL cannot store a NUL character: refused, never a 500.
    nul = api.post(_url(case), json=_body(kelly, api.user, note="a\x00b"))
    assert _fields(nul) == ["note"]
    assert _contacts() == 0


def test_a_time_in_the_future_today_is_refused_as_the_page_refuses_it(api_as, team):
    case, kelly = _family(team)
    api = api_as("practitioner")
    tomorrow = (london_today() + timedelta(days=1)).isoformat()
    response = api.post(_url(case), json=_body(kelly, api.user, on=tomorrow, at="00:00"))
    assert response.status_code == 422
    assert _fields(response) == ["on"]
    assert _contacts() == 0


def test_a_judge_is_refused_and_another_teams_case_is_not_found(api_as, team):
    judge = factories.make_user("judge", team=team)
    case, kelly = _family(team)
    case.judge_id = judge.id
    db.session.commit()
    other_case, other_parent = _family(factories.make_team())
    response = api_as(judge).post(_url(case), json=_body(kelly, judge))
    assert response.status_code == 403
    assert api_as(make_lab(team)).post(_url(case), json=_body(kelly, judge)).status_code == 403
    practitioner = api_as("practitioner")
    response = practitioner.post(_url(other_case), json=_body(other_parent, practitioner.user))
    assert response.status_code == 404
    nowhere = practitioner.post("/api/v1/cases/NOPE/contacts", json=_body(other_parent, judge))
    assert nowhere.status_code == 404
    assert _contacts() == 0


def test_a_closed_case_takes_no_contact(api_as, team):
    case, kelly = _family(team)
    case.phase = Phase.CLOSED
    db.session.commit()
    api = api_as("practitioner")
    assert api.post(_url(case), json=_body(kelly, api.user)).status_code == 403


def test_the_contact_and_the_request_are_audited(api_as, team):
    case, kelly = _family(team)
    api = api_as("practitioner")
    created = api.post(_url(case), json=_body(kelly, api.user)).get_json()
    insert = db.session.scalar(
        select(AuditEvent).where(AuditEvent.table_name == "contacts", AuditEvent.action == "insert")
    )
    assert insert.record_id == str(created["id"])
    assert (insert.actor_id, insert.case_id) == (api.user.id, case.id)
    use = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "api"))
    assert (use.changes["path"][1], use.changes["status"][1]) == (_url(case), 201)
    assert use.actor_id == api.user.id


def test_the_document_names_the_codes_and_the_limits(api_as):
    doc = api_as("practitioner").get("/api/v1/openapi.json").get_json()
    operation = doc["paths"]["/cases/{reference}/contacts"]["post"]
    assert {"201", "400", "401", "403", "404", "413", "415", "422", "429"} <= set(
        operation["responses"]
    )
    schemas = doc["components"]["schemas"]
    body = schemas["ContactIn"]["properties"]
    assert (body["minutes"]["minimum"], body["minutes"]["maximum"]) == (1, 720)
    assert body["at"]["pattern"]
    kinds = schemas["ContactKind"]["enum"]
    assert kinds == [
        "home_visit", "office", "phone", "video", "group_session", "joint_visit",
        "unannounced_visit",
    ]  # fmt: skip
    assert schemas["ContactOutcome"]["enum"] == [
        "attended", "did_not_attend", "cancelled_by_parent", "cancelled_by_team",
    ]  # fmt: skip


def test_a_contact_before_the_family_entered_fdac_is_refused(api_as, team):
    # Found by the fuzzer: a contact on 1 January in the year 1 was stored.
    case, kelly = _family(team)
    api = api_as("practitioner")
    response = api.post(_url(case), json=_body(kelly, api.user, on="0001-01-01", at="09:05"))
    assert response.status_code == 422
    [error] = response.get_json()["errors"]
    assert error["field"] == "on" and "when the family entered FDAC" in error["message"]
