"""The manager's dashboard: each figure counted against a seeded team, and each number a link to
a page listing exactly that many rows; other teams' data never counted."""

from datetime import date, time, timedelta

import pytest
from sqlalchemy import event

from fdac.cases.phases import Outcome, Phase
from fdac.extensions import db
from fdac.flags.kinds import FLAG_KINDS
from fdac.flags.services import raise_flag
from hearings.kinds import HearingStatus
from testing_results.models import Method, TestResult
from testing_results.panels import Matrix
from tests import factories
from tests.dashboard.helpers import TODAY, add_contact, add_test, follow, set_today, text


@pytest.fixture
def judge(team):
    return factories.make_user("judge", team=team, name="HHJ Marsh")


@pytest.fixture
def manager(signed_in, monkeypatch):
    set_today(monkeypatch)
    return signed_in("team_manager")


def _number(link) -> str:
    """The figure a link shows, without the words only a screen reader hears."""
    return link.find(string=True, recursive=False).strip()


def _parent_in(team, name="Kelly Ashworth", **fields):
    return factories.add_parent(factories.make_case(team, **fields), name)


# --- Active cases by phase ------------------------------------------------------------------


def test_active_cases_by_phase_each_link_to_a_list_of_that_many(manager, team):
    seeded = {Phase.REFERRAL: 2, Phase.ASSESSMENT: 1, Phase.TRIAL_FOR_CHANGE: 3}
    for phase, n in seeded.items():
        for _ in range(n):
            factories.make_case(team, phase=phase)
    factories.make_case(team, phase=Phase.CLOSED)  # not active
    elsewhere = factories.make_team()
    for _ in range(4):
        factories.make_case(elsewhere, phase=Phase.TRIAL_FOR_CHANGE)

    page = manager.get("home")

    rows = page.select("#phase-counts tbody tr")
    assert [text(row.th) for row in rows] == [
        "Referral",
        "Assessment",
        "Trial for change",
        "Final stage",
    ]
    shown = {text(row.th): _number(row.select_one("a")) for row in rows}
    assert shown == {
        "Referral": "2",
        "Assessment": "1",
        "Trial for change": "3",
        "Final stage": "0",
    }
    for row in rows:
        listed = follow(manager, row.select_one("a")["href"])
        count = int(_number(row.select_one("a")))
        assert len(listed.select("table.govuk-table tbody tr")) == count
        if count:
            assert text(listed.select_one("#case-count")).startswith(f"{count} case")
        else:
            assert "No cases match your search" in listed.get_text()


# --- Flags from the morning jobs ------------------------------------------------------------


def test_flag_counts_cover_every_job_kind_and_link_to_their_rows(manager, team):
    first, second = factories.make_case(team), factories.make_case(team)
    parent = factories.add_parent(first)
    raise_flag(first, "no_nlr_soon", "", "No review is booked in the next 14 days")
    raise_flag(second, "no_nlr_soon", "", "No review is booked in the next 14 days")
    raise_flag(first, "tests_overdue", f"parent:{parent.id}", "Kelly Ashworth: no test since")
    raise_flag(first, "hearing_moved", "hearing:1", "Moved")  # a person's flag, not a job's
    theirs = factories.make_case(factories.make_team())
    raise_flag(theirs, "no_nlr_soon", "", "Not ours")
    db.session.commit()

    page = manager.get("home")

    rows = page.select("#flag-counts tbody tr")
    job_kinds = [kind for kind, info in FLAG_KINDS.items() if info.computed]
    assert [text(row.th) for row in rows] == [FLAG_KINDS[kind].label for kind in job_kinds]
    counts = {text(row.th): text(row.td) for row in rows}
    assert counts.pop("No review in the next 14 days").startswith("2")
    assert counts.pop("No test for more than 7 days").startswith("1")
    assert set(counts.values()) == {"None"}
    for row in rows:
        link = row.select_one("a")
        if link is None:
            continue
        assert link["href"].startswith("#flags-")
        listed = page.select_one(link["href"])  # the group's own table on the same page
        assert len(listed.select("tr.app-flag")) == int(_number(link))


# --- This week's tests and contacts ---------------------------------------------------------


def _seed_week(team):
    """Four tests (one not taken) and three contacts (two attended) in the week of TODAY."""
    monday, sunday = date(2027, 6, 7), date(2027, 6, 13)
    parent = _parent_in(team)
    screen = add_test(parent, monday, matrix=Matrix.URINE)
    # The laboratory confirmation of that screen is not a second test.
    add_test(parent, monday, matrix=Matrix.URINE, method=Method.LABORATORY, confirms_id=screen.id)
    original = add_test(parent, monday + timedelta(days=1))
    amended = add_test(parent, monday + timedelta(days=1), amends_id=original.id)
    add_test(parent, TODAY, status="missed")
    add_test(parent, sunday)
    add_test(parent, monday - timedelta(days=1))  # last week
    add_test(parent, sunday + timedelta(days=1))  # next week
    add_contact(parent, monday, time(0, 30))  # 11:30pm on Sunday in UTC: still this week
    add_contact(parent, TODAY, outcome="attended")
    add_contact(parent, sunday, time(23, 30), outcome="did_not_attend")
    add_contact(parent, monday - timedelta(days=1), time(23, 30))  # last week
    add_contact(parent, sunday + timedelta(days=1), time(0, 30))  # next week
    theirs = _parent_in(factories.make_team(), "Someone Else")
    add_test(theirs, TODAY)
    add_contact(theirs, TODAY)
    return amended


def test_this_weeks_tests_count_monday_to_sunday_and_link_to_their_list(manager, team):
    amended = _seed_week(team)

    page = manager.get("home")

    assert text(page.select_one("#this-week-heading")) == (
        "This week: Monday 7 June 2027 to Sunday 13 June 2027"
    )
    everything, not_taken = page.select_one("#tests-this-week"), page.select_one("#tests-not-taken")
    assert (text(everything), text(not_taken)) == ("4 tests", "1 not taken")

    listed = follow(manager, everything["href"])
    rows = [text(row) for row in listed.select("#tests-table tr.app-listed")]
    assert text(listed.select_one("#tests-count")) == "4 tests, newest first"
    assert len(rows) == 4
    assert [row.split(" Breath")[0].split(" Urine")[0] for row in rows][0].startswith(
        "13 June 2027"
    )
    assert "Someone Else" not in listed.get_text()
    links = [a["href"] for a in listed.select("#tests-table tr.app-listed td:first-child a")]
    assert any(href.endswith(f"/results/{amended.id}") for href in links)  # the version now
    assert not any(href.endswith(f"/results/{amended.amends_id}") for href in links)

    missed = follow(manager, not_taken["href"])
    rows = [text(row) for row in missed.select("#tests-table tr.app-listed")]
    assert len(rows) == 1 and "Missed (did not attend)" in rows[0]


def test_this_weeks_contacts_count_in_london_time_and_link_to_their_list(manager, team):
    _seed_week(team)

    page = manager.get("home")

    everything = page.select_one("#contacts-this-week")
    attended = page.select_one("#contacts-attended")
    assert (text(everything), text(attended)) == ("3 contacts", "2 attended")

    listed = follow(manager, everything["href"])
    assert text(listed.select_one("#contacts-count")) == "3 contacts, newest first"
    rows = [text(row) for row in listed.select("#contacts-table tr.app-listed")]
    assert [row.split(" at ")[0] for row in rows] == ["13 June 2027", "9 June 2027", "7 June 2027"]
    assert "Someone Else" not in listed.get_text()

    only_attended = follow(manager, attended["href"])
    assert len(only_attended.select("#contacts-table tr.app-listed")) == 2


# --- This fortnight's sittings --------------------------------------------------------------


def test_fortnights_sittings_show_their_fill_and_link_to_the_calendar_week(manager, team, judge):
    monday = factories.make_sitting(team, judge, weekday=0)  # six slots from 10am
    wednesday = factories.make_sitting(team, judge, weekday=2, starts_at=time(14, 0), slots=4)
    booked_day = date(2027, 6, 14)
    for slot in (1, 2, 3):
        case = factories.make_case(team, judge_id=judge.id)
        factories.add_hearing(case, booked_day, sitting_id=monday.id, slot=slot)
    dropped = factories.make_case(team, judge_id=judge.id)
    factories.add_hearing(
        dropped, booked_day, sitting_id=monday.id, slot=4, status=HearingStatus.CANCELLED
    )
    factories.add_hearing(
        factories.make_case(team, judge_id=judge.id),
        date(2027, 6, 16),
        sitting_id=wednesday.id,
        slot=1,
        starts_at=time(14, 0),
    )
    factories.add_closure(team, date(2027, 6, 21), "Staff training")
    other_team = factories.make_team()
    their_judge = factories.make_user("judge", team=other_team)
    theirs = factories.make_sitting(other_team, their_judge, weekday=0)
    factories.add_hearing(
        factories.make_case(other_team, judge_id=their_judge.id),
        booked_day,
        sitting_id=theirs.id,
        slot=1,
    )

    page = manager.get("home")

    rows = [text(row) for row in page.select("#fortnight-sittings tr.app-sitting")]
    assert [row.split(" HHJ")[0] for row in rows] == [
        "Wednesday 9 June 2027 2:00pm,",
        "Monday 14 June 2027 10:00am,",
        "Wednesday 16 June 2027 2:00pm,",
        "Monday 21 June 2027 10:00am,",
    ]
    assert rows[0].endswith("0 of 4 slots on 9 June 2027 at 2:00pm")
    assert rows[1].endswith("3 of 6 slots on 14 June 2027 at 10:00am")
    assert rows[2].endswith("1 of 4 slots on 16 June 2027 at 2:00pm")
    assert rows[3].endswith("Court closed: Staff training")
    assert text(page.select_one("#fortnight-total")) == "4 of 14"

    link = page.select("#fortnight-sittings tr.app-sitting")[1].select_one("a")
    assert _number(link) == "3 of 6"
    week = follow(manager, link["href"])
    section = week.select_one("section[aria-label='Monday 14 June 2027']")
    caption = text(section.select_one("caption"))
    assert caption.endswith("3 of 6 slots")
    booked_rows = [r for r in section.select("tbody tr") if "Free slot" not in text(r)]
    assert len(booked_rows) == 3


# --- Outcomes this year ---------------------------------------------------------------------


def _closed_case(team, closed_on: date, outcome: Outcome, children: int):
    case = factories.make_case(team, phase=Phase.CLOSED, entered_on=closed_on, outcome=outcome)
    for n in range(children):
        factories.add_child(case, f"Child {n}")
    factories.add_parent(case)
    return case


def test_outcomes_this_year_equal_the_outcomes_pages_row_beside_published(manager, team):
    _closed_case(team, date(2027, 2, 1), Outcome.REUNIFIED, 2)
    _closed_case(team, date(2027, 4, 1), Outcome.FOSTERING_OR_ADOPTION, 1)
    _closed_case(team, date(2026, 11, 1), Outcome.REUNIFIED, 3)  # last year
    _closed_case(factories.make_team(), date(2027, 3, 1), Outcome.REUNIFIED, 4)

    page = manager.get("home")

    reunified, stopped = page.select_one("#ytd-reunified"), page.select_one("#ytd-stopped")
    assert text(reunified) == "67% 2 of 3"
    assert text(stopped) == "0% 0 of 2"
    outcomes = follow(manager, reunified.select_one("a")["href"])
    year_row = next(
        row for row in outcomes.select("#team-outcomes tbody tr") if text(row.th) == "2027"
    )
    cells = [text(td) for td in year_row.select("td")]
    assert cells[2] == text(reunified) and cells[4] == text(stopped)
    published = [text(td) for td in page.select("#outcomes-ytd tbody tr")[0].select("td")[1:]]
    assert published == ["52%", "37%"]


# --- A quiet team ---------------------------------------------------------------------------


def test_a_new_team_sees_zeros_and_plain_empty_states(manager):
    page = manager.get("home")

    assert {_number(a) for a in page.select("#phase-counts a")} == {"0"}
    assert {text(td) for td in page.select("#flag-counts td")} == {"None"}
    assert text(page.select_one("#tests-this-week")) == "0 tests"
    assert text(page.select_one("#contacts-this-week")) == "0 contacts"
    assert text(page.select_one("#fortnight-sittings")).startswith(
        "No FDAC sittings are set up for the court."
    )
    assert text(page.select_one("#ytd-reunified")) == "No data"
    assert text(page.select_one("#no-outcomes-yet")).startswith("No case has closed yet in 2027.")
    tests = follow(manager, page.select_one("#tests-this-week")["href"])
    assert text(tests.select_one("#no-tests")) == "No tests recorded in this week."
    contacts = follow(manager, page.select_one("#contacts-this-week")["href"])
    assert text(contacts.select_one("#no-contacts")) == "No contacts recorded in this week."


# --- Speed: a fixed number of queries -------------------------------------------------------


def _seed_cases(team, judge, sitting, n: int, start: int) -> None:
    for i in range(start, start + n):
        case = factories.make_case(team, judge_id=judge.id)
        parent = factories.add_parent(case, f"Parent {i}")
        add_test(parent, TODAY)
        add_contact(parent, TODAY)
        factories.add_hearing(case, date(2027, 6, 14), sitting_id=sitting.id, slot=i + 1)
        raise_flag(case, "no_nlr_soon", "", "No review is booked in the next 14 days")
        closed = _closed_case(team, date(2027, 3, 1), Outcome.REUNIFIED, 1)
        add_test(closed.parents[0], date(2027, 2, 20))
    db.session.commit()


def _statements_for_home(manager) -> int:
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        manager.get("home")
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


def test_the_dashboard_costs_the_same_queries_for_3_cases_as_for_12(manager, team, judge):
    sitting = factories.make_sitting(team, judge, weekday=0, slots=20)
    _seed_cases(team, judge, sitting, 3, 0)
    with_three = _statements_for_home(manager)
    _seed_cases(team, judge, sitting, 9, 3)

    with_twelve = _statements_for_home(manager)

    assert with_twelve == with_three
    assert db.session.scalar(db.select(db.func.count(TestResult.id))) == 24


def test_the_dashboard_has_one_heading_and_unique_ids(manager, team, judge):
    factories.make_sitting(team, judge)
    _seed_week(team)
    page = manager.get("home")
    ids = [tag["id"] for tag in page.select("[id]")]
    assert len(ids) == len(set(ids))
    assert len(page.select("h1")) == 1


def test_the_dashboard_leads_to_the_programme_export(manager):
    page = manager.get("home")
    link = page.select_one("#programme-export")
    exported = follow(manager, link["href"])
    assert exported.select_one("h1") is not None
    assert exported.select_one("form button") is not None  # the year is chosen, then downloaded
