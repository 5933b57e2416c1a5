"""Route rows: graduation on a case, the graduates' group, ceremonies, outcomes."""

from datetime import date

from fdac.cases.phases import Outcome
from fdac.extensions import db
from fdac.graduations.models import Ceremony, Graduation
from tests import factories
from tests.auth.route_rows import CASE_MANAGE, CASE_READ, _row

# Managers and practitioners of the team; judges and admins are refused.
GRADUATES = _row(team_manager=200, practitioner=200)
GRADUATE = {"graduation_id": "graduation"}
CEREMONY = {"ceremony_id": "ceremony"}

ROWS: dict = {
    "graduations.index": ("GET", {"reference": "case"}, CASE_READ),
    # A manager's decision, taken after the case closed as often as before.
    "graduations.confirm": (
        "GET",
        {"reference": "case", "parent_id": "parent"},
        CASE_MANAGE.but(closed={"team_manager": 200}),
    ),
    "graduates.index": ("GET", {}, GRADUATES),
    "graduates.show": ("GET", GRADUATE, GRADUATES),
    "graduates.certificate": ("GET", GRADUATE, GRADUATES),
    "graduates.record_support": ("GET", GRADUATE, GRADUATES),
    "graduates.mentor": ("GET", GRADUATE, GRADUATES),
    "graduates.end_mentor": ("GET", {"graduation_id": "mentor_graduation"}, GRADUATES),
    "graduates.ceremonies": ("GET", {}, GRADUATES),
    "graduates.new_ceremony": ("GET", {}, GRADUATES),
    "graduates.ceremony": ("GET", CEREMONY, GRADUATES),
    "graduates.edit_ceremony": ("GET", CEREMONY, GRADUATES),
    "graduates.add_graduates": ("GET", CEREMONY, GRADUATES),
    "graduates.outcomes": ("GET", {}, GRADUATES),
}


def team_values(team, judge, values) -> dict:
    """A closed, reunified family of the team with two graduates (one a mentor), a ceremony."""
    closed = factories.make_case(team, judge_id=judge.id, outcome=Outcome.REUNIFIED)
    closed.phase = closed.phase.CLOSED
    graduate = factories.add_parent(closed, "Jade Holt")
    mentor = factories.add_parent(closed, "Ryan Holt")
    ceremony = Ceremony(team_id=team.id, day=date(2027, 6, 18), place="Court 3")
    graduation = Graduation(case_id=closed.id, parent_id=graduate.id, graduated_on=date(2027, 3, 1))
    mentoring = Graduation(
        case_id=closed.id,
        parent_id=mentor.id,
        graduated_on=date(2027, 3, 1),
        mentor_since=date(2027, 4, 1),
        ceremony=ceremony,
    )
    db.session.add_all([ceremony, graduation, mentoring])
    db.session.commit()
    return {
        "graduation": graduation.id,
        "mentor_graduation": mentoring.id,
        "ceremony": ceremony.id,
    }
