"""Programme outcomes: the team's closed cases per year of closing, beside the published
evaluation figures."""

from datetime import date, timedelta

import pytest
from sqlalchemy import event

from fdac.cases.phases import Outcome, Phase
from fdac.extensions import db
from tests import factories
from tests.graduations import move, weekly_negatives


def _closed(team, closed_on: date, outcome: Outcome, children: int):
    case = factories.make_case(team)
    for n in range(children):
        factories.add_child(case, f"Child {n + 1}")
    return move(case, Phase.CLOSED, closed_on, outcome)


@pytest.fixture
def cases(team):
    """Three closed cases of the team, two closing in 2026 and one in 2027."""
    a = _closed(team, date(2026, 11, 2), Outcome.REUNIFIED, children=2)
    weekly_negatives(factories.add_parent(a, "Amy"), date(2026, 11, 2), weeks=4)  # stopped

    b = _closed(team, date(2026, 12, 7), Outcome.FOSTERING_OR_ADOPTION, children=1)
    factories.add_parent(b, "Ben")  # no tests in the final weeks: not stopped
    cara = factories.add_parent(b, "Cara")
    weekly_negatives(cara, date(2026, 12, 7), weeks=4)
    factories.add_peth(cara, "25", collected_on=date(2026, 11, 30))  # a positive: not stopped

    c = _closed(team, date(2027, 2, 8), Outcome.FAMILY_OR_FRIENDS, children=1)
    weekly_negatives(factories.add_parent(c, "Dan"), date(2027, 2, 8), weeks=4)  # stopped

    # Not counted: a case still open, and another team's closed case.
    open_case = factories.make_case(team)
    factories.add_child(open_case)
    factories.add_parent(open_case)
    other = _closed(factories.make_team(), date(2026, 10, 5), Outcome.REUNIFIED, children=3)
    factories.add_parent(other)
    return a, b, c


def _rows(table) -> list[list[str]]:
    return [
        [cell.get_text(" ", strip=True) for cell in row.select("th, td")]
        for row in table.select("tbody tr")
    ]


def test_outcomes_per_year_of_closing_beside_the_published_figures(signed_in, cases):
    page = signed_in("practitioner").get("graduates.outcomes")

    assert _rows(page.select_one("#team-outcomes")) == [
        ["2026", "2", "3", "67% 2 of 3", "3", "33% 1 of 3"],
        ["2027", "1", "1", "0% 0 of 1", "1", "100% 1 of 1"],
    ]
    assert _rows(page.select_one("#published")) == [
        ["Foundations evaluation (2023)", "52%", "13%", "34%", "8%"],
        ["Lancaster University study (2016)", "37%", "25%", "46%", "30%"],
    ]
    assert page.select_one("#team-outcomes caption").get_text(strip=True)
    assert page.select_one("#published caption").get_text(strip=True)
    assert "Sources: Foundations evaluation (2023); Lancaster University study (2016)." in (
        page.get_text(" ")
    )
    definitions = page.select_one("details").get_text(" ", strip=True)
    assert "final 4 weeks" in definitions


def test_no_closed_cases_yet(signed_in, team):
    factories.make_case(team)
    page = signed_in("team_manager").get("graduates.outcomes")
    assert page.select_one("#team-outcomes") is None
    assert "No closed cases yet." in page.select_one("#no-closed-cases").get_text()
    assert "52%" in page.select_one("#published").get_text()  # the published figures still show


def test_judges_do_not_see_the_outcomes_page(signed_in):
    signed_in("judge").get("graduates.outcomes", 403)


def _queries(client) -> int:
    statements = []

    def count(*args):
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        client.get("graduates.outcomes")
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


def test_the_outcomes_page_costs_the_same_queries_for_one_case_or_many(signed_in, team):
    manager = signed_in("team_manager")
    first = _closed(team, date(2026, 11, 2), Outcome.REUNIFIED, children=1)
    weekly_negatives(factories.add_parent(first), date(2026, 11, 2), weeks=4)
    few = _queries(manager)
    for n in range(4):
        closed_on = date(2026, 11, 2) + timedelta(weeks=n + 1)
        case = _closed(team, closed_on, Outcome.REUNIFIED, children=2)
        weekly_negatives(factories.add_parent(case, f"Parent {n}"), closed_on, weeks=4)
        factories.add_parent(case, f"Other parent {n}")
    assert _queries(manager) == few
