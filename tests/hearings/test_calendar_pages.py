"""The hearings calendar, a judge's list for the day, and the calendar link pages."""

import re
from datetime import date, time, timedelta

import pytest
from flask import url_for
from sqlalchemy import event, select

from fdac.extensions import db
from hearings.kinds import HearingStatus
from hearings.models import CalendarFeed, HearingOutcome
from tests import factories

MONDAY = date(2027, 3, 1)


def text(tag) -> str:
    return " ".join(tag.get_text(" ", strip=True).split())


def row_at(page, caption_start: str, when: str):
    """The row starting at `when` in the table whose caption starts with `caption_start`."""
    for table in page.select("table"):
        if text(table.caption).startswith(caption_start):
            for row in table.select("tbody tr"):
                if text(row.td) == when:
                    return row
    raise AssertionError(f"no {when} row under {caption_start!r}")


@pytest.fixture
def patel(team):
    return factories.make_user("judge", team=team, name="HHJ Patel")


@pytest.fixture
def sitting(team, patel):
    return factories.make_sitting(team, patel, weekday=0, starts_at=time(10), slots=6)


def family_case(team, judge, *parents):
    case = factories.make_case(team, judge_id=judge.id)
    for name in parents:
        factories.add_parent(case, name)
    return case


def book(case, day, slot, sitting):
    at = time(10 + (slot - 1) // 2, 30 * ((slot - 1) % 2))
    return factories.add_hearing(case, day, starts_at=at, sitting_id=sitting.id, slot=slot)


# --- Week view -----------------------------------------------------------------------------


def test_week_view_shows_a_booked_family_in_its_slot(signed_in, team, patel, sitting):
    case = family_case(team, patel, "Kelly Ashworth", "Dean Ashworth")
    book(case, MONDAY, 2, sitting)
    irh = factories.add_hearing(
        family_case(team, patel, "Jade Morris"), date(2027, 3, 3), "irh", starts_at=time(14)
    )

    page = signed_in("team_manager").get("calendar.index", start="2027-03-03")

    assert text(page.h1) == "Week of 1 March 2027"
    row = row_at(page, "10:00am to 1:00pm, HHJ Patel: 1 of 6 slots", "10:30am")
    assert case.reference in text(row)
    assert row.a["href"] == url_for("cases.show", reference=case.reference)
    assert "Kelly Ashworth and Dean Ashworth" in text(row)
    assert "NLR" in text(row)
    assert "Free slot" in text(row_at(page, "10:00am to 1:00pm", "10:00am"))
    other = row_at(page, "Hearings", "2:00pm")  # Wednesday: no sitting, an IRH
    assert irh.case.reference in text(other) and "IRH" in text(other)
    assert "Jade Morris" in text(other)


def test_cancelled_hearings_are_left_out(signed_in, team, patel, sitting):
    case = family_case(team, patel, "Kelly Ashworth")
    factories.add_hearing(
        case, MONDAY, sitting_id=sitting.id, slot=1, status=HearingStatus.CANCELLED
    )

    page = signed_in("team_manager").get("calendar.index", start="2027-03-01")

    assert case.reference not in text(page)
    assert "0 of 6 slots" in text(page)


def test_bank_holidays_and_closure_days_are_labelled(signed_in, team, patel, sitting):
    # Easter Monday 2027 is 29 March; the team closes the court on Wednesday 31 March.
    factories.add_closure(team, date(2027, 3, 31), "Staff training")

    page = signed_in("team_manager").get("calendar.index", start="2027-03-29")

    days = page.select("main section")
    monday = days[0]
    assert "Bank holiday: Easter Monday" in text(monday)
    assert "slots" not in text(monday)  # the court does not sit: no slots offered
    assert "Court closed: Staff training" in text(days[2])


def test_a_judge_sees_only_their_own_cases(signed_in, team, patel, sitting):
    okafor = factories.make_user("judge", team=team, name="HHJ Okafor")
    mine = family_case(team, patel, "Kelly Ashworth")
    theirs = family_case(team, okafor, "Jade Morris")
    book(mine, MONDAY, 1, sitting)
    factories.add_hearing(theirs, MONDAY, starts_at=time(14), judge_id=okafor.id)

    page = signed_in(patel).get("calendar.index", start="2027-03-01")

    assert mine.reference in text(page)
    assert theirs.reference not in text(page) and "Jade Morris" not in text(page)


def test_conflicts_show_at_the_top_and_beside_the_hearings(signed_in, team, patel, sitting):
    first = family_case(team, patel, "Kelly Ashworth")
    second = family_case(team, patel, "Kelly Ashworth")  # the same mother in a second case
    book(first, MONDAY, 1, sitting)
    factories.add_hearing(second, MONDAY, "fcmh", starts_at=time(10, 15), duration_minutes=60)

    page = signed_in("team_manager").get("calendar.index", start="2027-03-01")

    summary = [text(li) for li in page.select("ul[aria-label=Conflicts] li")]
    assert summary == [
        "Judge double-booked: HHJ Patel is double-booked on 1 March 2027: "
        f"{first.reference} at 10:00am and {second.reference} at 10:15am",
        "Parent in two places: Kelly Ashworth is due in two places on 1 March 2027: "
        f"{first.reference} at 10:00am and {second.reference} at 10:15am",
    ]
    assert "Judge double-booked" in text(row_at(page, "10:00am to 1:00pm", "10:00am"))
    assert "Parent in two places" in text(row_at(page, "Other hearings", "10:15am"))


def test_a_sitting_over_capacity_is_shown(signed_in, team, patel, sitting):
    for slot in (1, 2, 3):
        book(family_case(team, patel, f"Parent {slot}"), MONDAY, slot, sitting)
    sitting.slots = 2  # reduced after the families were booked
    db.session.commit()

    page = signed_in("team_manager").get("calendar.index", start="2027-03-01")

    assert "3 of 2 slots" in text(page)
    assert (
        "Sitting over capacity: The Monday 10:00am sitting (HHJ Patel) on 1 March 2027 "
        "has 3 families booked for 2 slots"
    ) in [text(li) for li in page.select("ul[aria-label=Conflicts] li")]
    assert "No slot" in text(row_at(page, "10:00am to 11:00am", "11:00am"))


def test_the_week_costs_the_same_queries_for_one_hearing_or_many(signed_in, team, patel, sitting):
    client = signed_in("team_manager")
    book(family_case(team, patel, "Parent 0"), MONDAY, 1, sitting)
    one = count_queries(client, "calendar.index", start="2027-03-01")
    for slot in range(2, 7):
        book(family_case(team, patel, f"Parent {slot}", f"Partner {slot}"), MONDAY, slot, sitting)
        factories.add_hearing(family_case(team, patel, "Other"), date(2027, 3, 2), "fcmh")

    assert count_queries(client, "calendar.index", start="2027-03-01") == one
    assert count_queries(client, "calendar.index", view="list", start="2027-03-01") == one
    assert count_queries(client, "calendar.day", date="2027-03-01") <= one


def count_queries(client, endpoint, **values) -> int:
    statements = []

    def record(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        client.get(endpoint, **values)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return len(statements)


# --- Month and list views ------------------------------------------------------------------


def test_month_view_counts_hearings_per_day_and_links_to_the_week(signed_in, team, patel, sitting):
    for slot in (1, 2):
        book(family_case(team, patel, f"Parent {slot}"), date(2027, 3, 15), slot, sitting)

    page = signed_in("practitioner").get("calendar.index", view="month", start="2027-03-20")

    assert text(page.h1) == "March 2027"
    [link] = [a for a in page.select("td a") if text(a).startswith("2 hearings")]
    assert text(link) == "2 hearings on 15 March 2027"
    assert link["href"] == url_for("calendar.index", view="week", start="2027-03-15")
    assert "Bank holiday: Good Friday" in text(page)  # 26 March 2027


def test_list_view_tables_the_hearings_in_time_order(signed_in, team, patel, sitting):
    later = factories.add_hearing(
        family_case(team, patel, "Jade Morris"), date(2027, 3, 10), "irh", starts_at=time(14)
    )
    sooner = book(family_case(team, patel, "Kelly Ashworth"), MONDAY, 1, sitting)

    page = signed_in("team_manager").get("calendar.index", view="list", start="2027-03-01")

    rows = [[text(td) for td in tr.select("td")] for tr in page.select("tbody tr")]
    # The case cell: its reference, then a link to the hearing itself.
    links = [tr.select("td")[3].select("a")[1]["href"] for tr in page.select("tbody tr")]
    assert links == [
        url_for("hearings.show", reference=h.case.reference, hearing_id=h.id)
        for h in (sooner, later)
    ]
    rows = [[*row[:3], row[3].split(" ")[0], *row[4:]] for row in rows]
    assert rows == [
        ["1 March 2027", "10:00am", "NLR", sooner.case.reference, "Kelly Ashworth", "HHJ Patel",
         "Planned"],
        ["10 March 2027", "2:00pm", "IRH", later.case.reference, "Jade Morris", "HHJ Patel",
         "Planned"],
    ]  # fmt: skip


def test_previous_and_next_links_move_by_the_view(signed_in):
    page = signed_in("team_manager").get("calendar.index", view="month", start="2027-03-20")

    assert page.select_one("a[rel=prev]")["href"] == url_for(
        "calendar.index", view="month", start="2027-02-01"
    )
    assert page.select_one("a[rel=next]")["href"] == url_for(
        "calendar.index", view="month", start="2027-04-01"
    )


# --- The day's list ------------------------------------------------------------------------


def test_a_judges_list_has_their_hearings_in_time_order_with_last_goals(
    signed_in, team, patel, sitting
):
    okafor = factories.make_user("judge", team=team, name="HHJ Okafor")
    case = family_case(team, patel, "Kelly Ashworth")
    held = book(case, date(2027, 2, 15), 1, sitting)
    held.status = HearingStatus.HELD
    first = HearingOutcome(hearing_id=held.id, case_id=case.id, goals="Attend every test")
    db.session.add(first)
    db.session.flush()
    db.session.add(
        HearingOutcome(
            hearing_id=held.id,
            case_id=case.id,
            goals="Attend every test and the parenting group",
            amends_id=first.id,
            amend_reason="Goal left out",
        )
    )
    db.session.commit()
    later = book(case, MONDAY, 3, sitting)
    earlier = book(family_case(team, patel, "Jade Morris"), MONDAY, 1, sitting)
    factories.add_hearing(family_case(team, okafor, "Other Family"), MONDAY, starts_at=time(9))

    page = signed_in(patel).get("calendar.day", date="2027-03-01")

    assert text(page.h1) == "Your list for 1 March 2027"
    rows = [[text(td) for td in tr.select("td")] for tr in page.select("tbody tr")]
    assert rows == [
        ["10:00am", "NLR", f"{earlier.case.reference} Jade Morris", "No review held yet",
         f"Progress summary for {earlier.case.reference}"],
        ["11:00am", "NLR", f"{later.case.reference} Kelly Ashworth",
         "Attend every test and the parenting group",
         f"Progress summary for {later.case.reference}"],
    ]  # fmt: skip
    assert page.select("tbody a")[0]["href"] == url_for(
        "reports.summary", reference=earlier.case.reference
    )
    assert page.select_one("a[data-print]")
    assert page.select_one("a[rel=prev]")["href"] == url_for("calendar.day", date="2027-02-26")
    assert page.select_one("a[rel=next]")["href"] == url_for("calendar.day", date="2027-03-02")


def test_a_judge_cannot_see_another_judges_list(signed_in, team, patel, sitting):
    okafor = factories.make_user("judge", team=team, name="HHJ Okafor")
    theirs = family_case(team, okafor, "Jade Morris")
    factories.add_hearing(theirs, MONDAY)

    page = signed_in(patel).get("calendar.day", date="2027-03-01", judge=okafor.id)

    assert text(page.h1) == "Your list for 1 March 2027"
    assert theirs.reference not in text(page)
    assert "No hearings listed for 1 March 2027." in text(page)


def test_a_manager_chooses_a_judges_list(signed_in, team, patel, sitting):
    okafor = factories.make_user("judge", team=team, name="HHJ Okafor")
    mine = book(family_case(team, patel, "Kelly Ashworth"), MONDAY, 1, sitting)
    theirs = factories.add_hearing(family_case(team, okafor, "Jade Morris"), MONDAY)
    client = signed_in("team_manager")

    everyone = client.get("calendar.day", date="2027-03-01")
    one = client.get("calendar.day", date="2027-03-01", judge=okafor.id)

    assert text(everyone.h1) == "Hearings on 1 March 2027"
    assert mine.case.reference in text(everyone) and theirs.case.reference in text(everyone)
    assert text(one.h1) == "HHJ Okafor's list for 1 March 2027"
    assert theirs.case.reference in text(one) and mine.case.reference not in text(one)
    assert [text(o) for o in one.select("#judge option")] == ["All judges", "HHJ Okafor",
                                                               "HHJ Patel"]  # fmt: skip


# --- Calendar link pages -------------------------------------------------------------------


def test_a_new_link_is_shown_once_and_works(signed_in, client):
    person = signed_in("practitioner")
    assert "You have no calendar link." in text(person.get("calendar.feeds"))

    created = person.post("calendar.create_feed", _expected_status=200)

    link = created.select_one("#calendar-link")["value"]
    assert link.endswith(".ics")
    assert client.raw.get(link).status_code == 200
    page = person.get("calendar.feeds")
    assert "A link is active" in text(page)
    assert link not in str(page)
    assert db.session.scalar(select(CalendarFeed.token_hash)) not in link


def test_revoking_asks_first_then_stops_the_link(signed_in, client):
    person = signed_in("judge")
    link = person.post("calendar.create_feed", _expected_status=200).select_one("#calendar-link")

    confirm = person.get("calendar.revoke_feed")
    assert text(confirm.h1) == "Are you sure you want to revoke your calendar link?"
    person.post("calendar.revoke_feed")

    assert client.raw.get(link["value"]).status_code == 404
    assert "You have no calendar link." in text(person.get("calendar.feeds"))


def test_an_empty_day_points_the_judge_to_their_next_list(signed_in, team, patel, sitting):
    okafor = factories.make_user("judge", team=team, name="HHJ Okafor")
    factories.add_hearing(family_case(team, okafor, "Jade Morris"), MONDAY + timedelta(days=1))
    book(family_case(team, patel, "Kelly Ashworth"), MONDAY + timedelta(weeks=2), 1, sitting)

    sunday = MONDAY - timedelta(days=1)
    page = signed_in(patel).get("calendar.day", date=sunday.isoformat())

    assert "No hearings listed for 28 February 2027." in text(page)
    link = page.find("a", string=re.compile("^Next list"))
    assert text(link) == "Next list: Monday 15 March 2027"  # the other judge's Tuesday is not hers
    assert link["href"] == url_for("calendar.day", date="2027-03-15")
