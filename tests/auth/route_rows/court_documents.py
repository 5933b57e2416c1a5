"""Route rows: court documents (the review report and the note of the hearing).

Managers and practitioners of the team draft; only managers approve, send back and issue;
judges read issued versions only (a draft is a 404 for them); admins see no case data.
"""

from datetime import date, timedelta

from fdac.court_documents import services
from fdac.court_documents.kinds import DocumentKind
from fdac.dates import london_today
from hearings.kinds import HearingStatus
from tests import factories
from tests.auth.route_rows import CASE_MANAGE, CASE_PEOPLE, CASE_READ, _row

DRAFT = {"reference": "case", "document_id": "document_draft"}
SUBMITTED = {"reference": "case", "document_id": "document_submitted"}
ISSUED = {"reference": "case", "document_id": "document_issued"}

ROWS: dict = {
    "court_documents.new": (
        "GET",
        {"reference": "case", "hearing_id": "free_review", "kind": "review_report"},
        CASE_PEOPLE,
    ),
    "court_documents.show": ("GET", ISSUED, CASE_READ),
    "court_documents.version": ("GET", ISSUED | {"number": 1}, CASE_READ),
    "court_documents.version_pdf": ("GET", ISSUED | {"number": 1}, CASE_READ),
    "court_documents.edit": ("GET", DRAFT, CASE_PEOPLE),
    # Sent with a valid token and nothing else: the draft is submitted.
    "court_documents.submit": (
        "POST",
        DRAFT,
        _row(admin=404, team_manager=302, practitioner=302, judge=403, writes=True),
    ),
    "court_documents.send_back": ("GET", SUBMITTED, CASE_MANAGE),
    "court_documents.issue": ("GET", SUBMITTED, CASE_MANAGE),
    "court_documents.revise": ("GET", ISSUED, CASE_PEOPLE),
}

WORDS = {"going_well": "Going well", "not_going_well": "Not so well", "goals_proposed": "Goals"}
NOTE = {"attendance": "Both parents", "note": "Note", "goals_agreed": "Goals"}


def _day(today: date, days: int, taken: set[date]) -> date:
    day = today + timedelta(days=days)
    while day in taken:
        day += timedelta(days=1)
    taken.add(day)
    return day


def case_values(case, values) -> dict:
    """Around today: a review with a draft report, one with an issued report, one with none,
    and a hearing held whose note waits for approval."""
    today = london_today()
    taken = {date(2027, 1, 4)}  # the world's own hearing
    keyworker = factories.make_user("practitioner", team=case.team)
    manager = factories.make_user("team_manager", team=case.team)
    reviews = [factories.add_hearing(case, _day(today, d, taken)) for d in (3, 17, 31)]
    held = factories.add_hearing(case, _day(today, -5, taken), status=HearingStatus.HELD)

    def start(hearing, kind, words):
        period = services.default_period_for(case, hearing, today)
        return services.create(case, hearing, kind, words, period, by=keyworker, today=today)

    draft = start(reviews[0], DocumentKind.REVIEW_REPORT, WORDS)
    issued = start(reviews[1], DocumentKind.REVIEW_REPORT, WORDS)
    services.submit(issued.latest, by=keyworker)
    services.issue(issued.latest, "<p>Frozen summary</p>", by=manager, today=today)
    submitted = start(held, DocumentKind.HEARING_NOTE, NOTE)
    services.submit(submitted.latest, by=keyworker)
    return {
        "document_draft": draft.id,
        "document_submitted": submitted.id,
        "document_issued": issued.id,
        "free_review": reviews[2].id,
    }
