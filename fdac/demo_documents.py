"""The demo team's court documents: for the first families in the trial for change, the note of
their latest review (issued) and the review report to their next one, at each step of its life
(issued, waiting for the manager's approval, a keyworker's draft).

Written through fdac.court_documents.services, as the pages write them, so the issued versions
carry their frozen progress summary. The promises are checked by tests/test_demo_documents.py.
"""

from datetime import date

from flask import current_app
from sqlalchemy import select

from fdac.auth.models import User
from fdac.auth.roles import Role
from fdac.cases.models import Case
from fdac.cases.phases import Phase
from fdac.court_documents import pdf, services
from fdac.court_documents.kinds import DocumentKind, VersionStatus
from fdac.extensions import db
from fdac.teams.models import Team

# The review report's words, one set a family; the last word is how far it has gone.
REPORTS = (
    (
        "Every test in the fortnight was taken and negative. Attended the parenting group "
        "twice and arrived on time for both contact sessions.",
        "Housing is still uncertain: the tenancy review has been put back to next month.",
        "Keep testing three times a week; register with the GP; attend the tenancy review.",
        VersionStatus.ISSUED,
    ),
    (
        "Engaging well with the keyworker; one missed test explained by a hospital appointment, "
        "with a letter.",
        "A positive cannabis screen at the start of the fortnight, since confirmed by the lab.",
        "No further positives; start the relapse-prevention group; keep the contact diary.",
        VersionStatus.SUBMITTED,
    ),
    (
        "Has kept every appointment this fortnight.",
        "Missed two contact sessions with the children.",
        "Attend every contact session; agree a travel plan with the keyworker.",
        VersionStatus.DRAFT,
    ),
)
NEXT_STEPS = "Keyworker to confirm the next fortnight's test days with the parents."


def add_court_documents(team: Team, today: date) -> None:
    manager = db.session.scalar(
        select(User).where(User.team_id == team.id, User.role == Role.TEAM_MANAGER)
    )
    families = db.session.scalars(
        select(Case)
        .where(Case.team_id == team.id, Case.phase == Phase.TRIAL_FOR_CHANGE)
        .order_by(Case.reference)
    ).all()
    # Rendering the frozen summary uses the pages' templates, which need a request.
    with current_app.test_request_context():
        for case, report in zip(families, REPORTS, strict=False):
            keyworker = db.session.get(User, case.keyworker_id)
            for kind, hearing in services.startable(case, today):
                if kind is DocumentKind.HEARING_NOTE:
                    words = services.prefill(hearing, kind) | {"next_steps": NEXT_STEPS}
                    _write(
                        case, hearing, kind, words, VersionStatus.ISSUED, keyworker, manager, today
                    )
                else:
                    going_well, not_going_well, goals, status = report
                    words = {
                        "going_well": going_well,
                        "not_going_well": not_going_well,
                        "goals_proposed": goals,
                    }
                    _write(case, hearing, kind, words, status, keyworker, manager, today)


def _write(case, hearing, kind, words, status, keyworker, manager, today: date) -> None:
    period = services.default_period_for(case, hearing, today)
    document = services.create(case, hearing, kind, words, period, by=keyworker, today=today)
    version = document.latest
    if status is VersionStatus.DRAFT:
        return
    services.submit(version, by=keyworker)
    if status is VersionStatus.ISSUED:
        services.issue(version, pdf.live_summary(version, today), by=manager, today=today)
