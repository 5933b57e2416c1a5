"""A family with results, an upcoming review and a review held, for the court documents' tests."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from fdac.court_documents import services
from fdac.court_documents.kinds import DocumentKind
from fdac.court_documents.models import CourtDocument
from fdac.dates import london_today
from fdac.extensions import db
from hearings.kinds import HearingStatus
from hearings.models import HearingAttendance, HearingOutcome
from tests import factories
from tests.reports.test_summary import add_breath

REPORT_WORDS = {
    "going_well": "Kelly has kept every appointment with her keyworker.",
    "not_going_well": "One breath test was missed on a Friday.",
    "goals_proposed": "Attend all three tests a week; start the parenting course.",
}
NOTE_WORDS = {
    "attendance": "Kelly Ashworth: attended",
    "note": "The judge praised the progress made.",
    "goals_agreed": "Keep testing three times a week.",
    "next_steps": "Keyworker to book the parenting course.",
}


@dataclass
class Family:
    case: object
    parent: object
    judge: object
    nlr: object  # booked ahead
    held: object  # held, with its outcome recorded
    today: date


def make_family(team, today: date | None = None) -> Family:
    today = today or london_today()
    judge = factories.make_user("judge", team=team, name="HHJ Patel")
    case = factories.make_case(
        team,
        judge_id=judge.id,
        entered_on=today - timedelta(days=60),
        court_case_number="ZW27C00042",
    )
    kelly = factories.add_parent(case, "Kelly Ashworth")
    held = factories.add_hearing(case, today - timedelta(days=10), status=HearingStatus.HELD)
    outcome = HearingOutcome(
        hearing_id=held.id,
        case_id=case.id,
        goals="Test three times a week",
        note="Good start",
        others_present="Ms Brown, social worker",
    )
    outcome.attendance.append(HearingAttendance(case_id=case.id, parent_id=kelly.id, attended=True))
    db.session.add(outcome)
    db.session.commit()
    nlr = factories.add_hearing(case, today + timedelta(days=4))
    add_breath(kelly, today - timedelta(days=5))
    add_breath(kelly, today - timedelta(days=3), "20")  # alcohol detected
    return Family(case, kelly, judge, nlr, held, today)


def draft_report(family: Family, author, words=None) -> CourtDocument:
    period = services.default_period_for(family.case, family.nlr, family.today)
    return services.create(
        family.case,
        family.nlr,
        DocumentKind.REVIEW_REPORT,
        words or REPORT_WORDS,
        period,
        by=author,
        today=family.today,
    )


def issued_report(family: Family, author, manager, summary_html="<p>frozen</p>"):
    document = draft_report(family, author)
    services.submit(document.latest, by=author)
    services.issue(document.latest, summary_html, by=manager, today=family.today)
    return document


def issued_note(family: Family, author, manager) -> CourtDocument:
    period = services.default_period_for(family.case, family.held, family.today)
    document = services.create(
        family.case, family.held, DocumentKind.HEARING_NOTE, NOTE_WORDS, period,
        by=author, today=family.today,
    )  # fmt: skip
    services.submit(document.latest, by=author)
    services.issue(document.latest, "<p>frozen</p>", by=manager, today=family.today)
    return document


def all_documents() -> list[CourtDocument]:
    return list(db.session.scalars(select(CourtDocument)))
