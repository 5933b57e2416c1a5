"""The lists behind the manager's dashboard figures that have no list page elsewhere: the team's
tests and contacts of a week. Thin: access, the filters from the query string, one query (the
one the dashboard's figure counts), a page of rows."""

from dataclasses import dataclass
from datetime import date

from flask import Blueprint, render_template, request
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from fdac.auth.access import Action, visible_cases
from fdac.auth.guards import requires
from fdac.contacts.kinds import OUTCOMES, ContactOutcome
from fdac.contacts.models import Contact
from fdac.dashboard.figures import Week, week_contacts, week_tests
from fdac.dates import london_today
from fdac.extensions import db
from testing_results.models import TestResult
from testing_results.panels import MATRICES, Matrix

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")

PER_PAGE = 50
TAKEN = {"yes": True, "no": False}


def _week() -> Week:
    try:
        return Week.of(date.fromisoformat(request.args.get("week", "")))
    except ValueError:
        return Week.of(london_today())


@dataclass(frozen=True)
class TestFilters:
    __test__ = False  # not a pytest test class

    taken: str = ""  # "", "yes" or "no"
    matrix: Matrix | None = None

    @classmethod
    def from_args(cls, args) -> "TestFilters":
        taken = args.get("taken", "")
        matrix = args.get("matrix", "")
        return cls(
            taken if taken in TAKEN else "",
            Matrix(matrix) if matrix in {m.value for m in Matrix} else None,
        )

    @property
    def active(self) -> bool:
        return bool(self.taken) or self.matrix is not None


@bp.get("/tests")
@requires(Action.VIEW_FLAGS)
def tests():
    week, filters = _week(), TestFilters.from_args(request.args)
    query = week_tests(
        visible_cases(current_user), week, taken=TAKEN.get(filters.taken), matrix=filters.matrix
    ).options(joinedload(TestResult.case), joinedload(TestResult.parent))
    return render_template(
        "dashboard/tests.html",
        week=week,
        filters=filters,
        matrices=MATRICES,
        page=db.paginate(query, per_page=PER_PAGE, error_out=False),
        this_week=Week.of(london_today()),
    )


@bp.get("/contacts")
@requires(Action.VIEW_FLAGS)
def contacts():
    week = _week()
    value = request.args.get("outcome", "")
    outcome = ContactOutcome(value) if value in {o.value for o in ContactOutcome} else None
    query = week_contacts(visible_cases(current_user), week, outcome=outcome).options(
        joinedload(Contact.case), joinedload(Contact.parent), selectinload(Contact.practitioners)
    )
    return render_template(
        "dashboard/contacts.html",
        week=week,
        outcome=outcome,
        outcomes=OUTCOMES,
        ContactOutcome=ContactOutcome,
        page=db.paginate(query, per_page=PER_PAGE, error_out=False),
        this_week=Week.of(london_today()),
    )
