"""The caseload: a practitioner's own open cases, those below this week's contact target first;
a manager's whole team, filtered by keyworker; the same few queries however many cases."""

from datetime import date, timedelta

import pytest
from flask import url_for
from sqlalchemy import event

from fdac.cases.phases import Phase
from fdac.extensions import db
from tests import factories
from tests.contacts.caseload_helpers import TODAY, add_contacts

MONDAY = date(2027, 3, 8)
LAST_WEEK = [date(2027, 3, 2), date(2027, 3, 4)]  # Tuesday and Thursday
WEEKS_BEFORE = [date(2027, 2, d) for d in (9, 11, 16, 18, 23, 25)]


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("fdac.contacts.caseload_views.london_today", lambda: TODAY)


@pytest.fixture
def keyworker(team):
    return factories.make_user("practitioner", team=team, name="Priya Shah")


def _case(team, keyworker, *parents, **fields):
    case = factories.make_case(
        team,
        keyworker_id=keyworker.id if keyworker else None,
        entered_on=date(2026, 11, 2),
        **fields,
    )
    return case, [factories.add_parent(case, name) for name in parents]


def _well_seen(parent, this_week=2):
    """Two attended contacts a week for the past four weeks; `this_week` so far."""
    add_contacts(parent, *WEEKS_BEFORE, *LAST_WEEK, *[TODAY - timedelta(days=1), TODAY][:this_week])


def _rows(page, table_id) -> list[list[str]]:
    return [
        [" ".join(cell.get_text(" ", strip=True).split()) for cell in row.select("td")]
        for row in page.select(f"#{table_id} tbody tr")
    ]


def _references(page, table_id) -> list[str]:
    return [a.get_text(strip=True) for a in page.select(f"#{table_id} tbody a")]


def test_practitioner_sees_their_own_open_cases_below_target_first(signed_in, team, keyworker):
    behind, (kelly,) = _case(team, keyworker, "Kelly Ashworth", reference="FDAC-2026-0002")
    _well_seen(kelly, this_week=1)
    fine, (amy,) = _case(team, keyworker, "Amy Begum", reference="FDAC-2026-0001")
    _well_seen(amy)
    someone_elses, _ = _case(team, factories.make_user("practitioner", team=team), "Jade Clarke")
    closed, _ = _case(team, keyworker, "Gemma Davies", phase=Phase.CLOSED)
    other_team, _ = _case(factories.make_team(), keyworker, "Stacey Evans")

    page = signed_in(keyworker).get("caseload.index")

    assert page.select_one("h1").get_text(strip=True) == "Your caseload"
    headings = [h.get_text(strip=True) for h in page.select("main h2")]
    assert headings == ["Below target this week (1)", "On target this week (1)"]
    assert _rows(page, "below-target-cases") == [
        [
            "FDAC-2026-0002",
            "Trial for change",
            "Kelly Ashworth",
            "1 of 2 Below target",
            "100% (8 of 8)",
            "Yesterday",
        ]
    ]
    assert _rows(page, "on-target-cases") == [
        ["FDAC-2026-0001", "Trial for change", "Amy Begum", "2 of 2", "100% (8 of 8)", "Today"]
    ]
    link = page.select_one("#below-target-cases a")
    assert link["href"] == url_for("cases.show", reference=behind.reference)
    assert page.select("select") == []  # no keyworker filter for a practitioner


def test_one_parent_behind_puts_the_family_below_target(signed_in, team, keyworker):
    case, (kelly, dean) = _case(team, keyworker, "Kelly Ashworth", "Dean Ashworth")
    _well_seen(kelly)
    add_contacts(dean, date(2027, 2, 25), date(2027, 3, 1))
    add_contacts(dean, date(2027, 3, 2), outcome="did_not_attend")

    page = signed_in(keyworker).get("caseload.index")

    rows = _rows(page, "below-target-cases")
    assert rows[0][2:] == ["Kelly Ashworth", "2 of 2", "100% (8 of 8)", "Today"]
    assert rows[1] == [
        "Dean Ashworth",
        "0 of 2 Below target",
        "25% (2 of 8)",
        "9 days ago No contact for 7 days",
    ]
    assert page.select_one("#on-target-cases") is None


def test_days_since_the_last_contact_count_one_older_than_the_weeks_shown(
    signed_in, team, keyworker
):
    case, (kelly,) = _case(team, keyworker, "Kelly Ashworth", phase=Phase.ASSESSMENT)
    add_contacts(kelly, date(2026, 12, 1))  # 14 weeks ago

    page = signed_in(keyworker).get("caseload.index")

    row = _rows(page, "below-target-cases")[0]
    assert row[3:] == ["0 of 1 Below target", "0% (0 of 4)", "99 days ago No contact for 7 days"]


def test_a_parent_never_seen_and_a_case_without_parents_show_plainly(signed_in, team, keyworker):
    _case(team, keyworker, "Kelly Ashworth", reference="FDAC-2026-0001")
    _case(team, keyworker, reference="FDAC-2026-0002", phase=Phase.REFERRAL)

    page = signed_in(keyworker).get("caseload.index")

    assert _rows(page, "below-target-cases") == [
        [
            "FDAC-2026-0001",
            "Trial for change",
            "Kelly Ashworth",
            "0 of 2 Below target",
            "0% (0 of 8)",
            "None recorded No contact for 7 days",
        ]
    ]
    assert _rows(page, "on-target-cases") == [["FDAC-2026-0002", "Referral", "No parents recorded"]]


def test_practitioner_without_cases_is_told_so(signed_in, keyworker):
    page = signed_in(keyworker).get("caseload.index")

    assert "not the keyworker for any open case" in page.select_one("#no-cases").get_text()
    assert page.select("table") == []


def test_when_everyone_is_on_target_the_first_section_says_so(signed_in, team, keyworker):
    _, (amy,) = _case(team, keyworker, "Amy Begum")
    _well_seen(amy)

    page = signed_in(keyworker).get("caseload.index")

    assert page.select_one("#none-below-target").get_text(strip=True) == (
        "Every parent has met this week’s target."
    )


def test_manager_sees_the_whole_team_and_filters_by_keyworker(signed_in, team, keyworker):
    other = factories.make_user("practitioner", team=team, name="Liam Hughes")
    _case(team, keyworker, "Kelly Ashworth", reference="FDAC-2026-0001")
    _case(team, other, "Amy Begum", reference="FDAC-2026-0002")
    _case(team, None, "Jade Clarke", reference="FDAC-2026-0003")
    _case(factories.make_team(), None, "Stacey Evans", reference="FDAC-2026-0004")
    manager = signed_in("team_manager")

    page = manager.get("caseload.index")

    assert page.select_one("h1").get_text(strip=True) == "Team caseload"
    assert _references(page, "below-target-cases") == [
        "FDAC-2026-0001",
        "FDAC-2026-0002",
        "FDAC-2026-0003",
    ]
    assert [row[2] for row in _rows(page, "below-target-cases")] == [
        "Priya Shah",
        "Liam Hughes",
        "Not allocated",
    ]
    options = [o.get_text(strip=True) for o in page.select("select#keyworker option")]
    assert options == ["Any keyworker", "Liam Hughes", "Priya Shah", "Not allocated"]

    mine = manager.get("caseload.index", keyworker=keyworker.id)
    assert _references(mine, "below-target-cases") == ["FDAC-2026-0001"]
    assert mine.select_one(f"option[value='{keyworker.id}']").has_attr("selected")
    nobody = manager.get("caseload.index", keyworker="none")
    assert _references(nobody, "below-target-cases") == ["FDAC-2026-0003"]


def test_manager_filter_with_no_cases_says_so(signed_in, team, keyworker):
    manager = signed_in("team_manager")

    assert "no open cases" in manager.get("caseload.index").select_one("#no-cases").get_text()
    _case(team, None, "Jade Clarke")
    page = manager.get("caseload.index", keyworker=keyworker.id)
    assert page.select_one("#no-cases").get_text(strip=True) == "No open cases match this filter."


def _count_queries(client, endpoint, **values) -> int:
    statements = []

    def record(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        client.get(endpoint, **values)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return len(statements)


def test_the_caseload_costs_the_same_queries_for_one_case_or_many(signed_in, team, keyworker):
    client = signed_in(keyworker)
    _, (kelly,) = _case(team, keyworker, "Kelly Ashworth")
    add_contacts(kelly, TODAY - timedelta(days=8))
    one = _count_queries(client, "caseload.index")
    for n in range(6):
        _, parents = _case(team, keyworker, f"Parent {n}", f"Partner {n}")
        add_contacts(parents[0], *LAST_WEEK)
        add_contacts(parents[1], MONDAY, outcome="cancelled_by_parent")

    assert _count_queries(client, "caseload.index") == one
    assert _count_queries(signed_in("team_manager"), "caseload.index") <= one + 1
