"""The team manager's dashboard: the figures of the programme, each linking to its list.

Every figure is one aggregate query over the cases `visible_cases(user)` selects, so the whole
dashboard costs a small fixed number of queries however many cases the team has. Where a figure
has a list behind it on this blueprint (tests and contacts this week), the figure counts the very
query the list pages through, so the two cannot disagree. Outcomes come from the outcomes page's
own loader and pure rule (graduations.services.team_outcomes): nothing is computed anew here.
No Flask: the user and `today` are passed in.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, case, func, select

from fdac.cases.models import Case
from fdac.cases.phases import Phase
from fdac.contacts.kinds import ContactOutcome
from fdac.contacts.models import Contact
from fdac.dates import LONDON
from fdac.extensions import db
from fdac.graduations.outcomes import YearOutcomes
from fdac.graduations.published import PublishedFigures
from fdac.graduations.services import team_outcomes
from hearings import calendar_queries
from hearings.calendar import COURT_WEEKDAYS
from hearings.kinds import HearingStatus
from hearings.models import Hearing, Sitting
from testing_results.interpret import Status
from testing_results.jobs import current_results
from testing_results.models import TestResult
from testing_results.panels import Matrix

ACTIVE_PHASES = tuple(phase for phase in Phase if phase is not Phase.CLOSED)
FORTNIGHT_DAYS = 14  # "this fortnight": today and the 13 days after it


# --- Weeks ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Week:
    """Monday to Sunday in Europe/London, as compliance counts weeks."""

    first: date  # the Monday
    last: date  # the Sunday

    @classmethod
    def of(cls, day: date) -> "Week":
        monday = day - timedelta(days=day.weekday())
        return cls(monday, monday + timedelta(days=6))

    @property
    def previous(self) -> "Week":
        return Week.of(self.first - timedelta(days=7))

    @property
    def next(self) -> "Week":
        return Week.of(self.first + timedelta(days=7))

    def instants(self) -> tuple[datetime, datetime]:
        """From Monday 00:00 to the next Monday 00:00, London wall-clock, as UTC instants."""
        start = datetime.combine(self.first, time(0), tzinfo=LONDON)
        end = datetime.combine(self.last + timedelta(days=1), time(0), tzinfo=LONDON)
        return start.astimezone(UTC), end.astimezone(UTC)


# --- The lists behind the weekly figures ------------------------------------------------------


def _ids(cases: Select) -> Select:
    return cases.with_only_columns(Case.id).order_by(None)


def week_tests(
    cases: Select, week: Week, *, taken: bool | None = None, matrix: Matrix | None = None
) -> Select:
    """Tests collected in `week` from the parents of `cases`: each test once, as it now stands
    (an amended result counts as its latest version; a laboratory confirmation belongs to the
    screen it confirms, so it is not a second test). `taken` False: missed, refused or unable
    to provide. Newest first; the caller adds what it loads with the rows."""
    query = (
        select(TestResult)
        .where(
            TestResult.case_id.in_(_ids(cases)),
            TestResult.collected_on.between(week.first, week.last),
            TestResult.confirms_id.is_(None),
            current_results(),
        )
        .order_by(TestResult.collected_on.desc(), TestResult.id.desc())
    )
    if taken is True:
        query = query.where(TestResult.status == Status.RESULT)
    elif taken is False:
        query = query.where(TestResult.status != Status.RESULT)
    if matrix is not None:
        query = query.where(TestResult.matrix == matrix)
    return query


def week_contacts(cases: Select, week: Week, *, outcome: ContactOutcome | None = None) -> Select:
    """Contacts of `cases` whose London day falls in `week` (Monday to Sunday), newest first."""
    start, end = week.instants()
    query = (
        select(Contact)
        .where(Contact.case_id.in_(_ids(cases)), Contact.at >= start, Contact.at < end)
        .order_by(Contact.at.desc(), Contact.id.desc())
    )
    if outcome is not None:
        query = query.where(Contact.outcome == outcome)
    return query


# --- The figures ---------------------------------------------------------------------------


@dataclass(frozen=True)
class WeekFigures:
    week: Week
    tests: int
    tests_not_taken: int  # missed, refused, unable to provide
    contacts: int
    contacts_attended: int


def week_figures(cases: Select, week: Week) -> WeekFigures:
    """Two queries: each counts the rows of its list's own query."""
    tests = week_tests(cases, week).order_by(None).subquery()
    total, not_taken = db.session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(case((tests.c.status != Status.RESULT, 1), else_=0)), 0),
        ).select_from(tests)
    ).one()
    contacts = week_contacts(cases, week).order_by(None).subquery()
    seen, attended = db.session.execute(
        select(
            func.count(),
            func.coalesce(
                func.sum(case((contacts.c.outcome == ContactOutcome.ATTENDED, 1), else_=0)), 0
            ),
        ).select_from(contacts)
    ).one()
    return WeekFigures(week, total, int(not_taken), seen, int(attended))


def phase_counts(cases: Select) -> dict[Phase, int]:
    """Active cases in each phase, in the journey's order (a phase with none shows 0)."""
    counts = dict(
        db.session.execute(
            select(Case.phase, func.count(Case.id))
            .where(Case.id.in_(_ids(cases)), Case.phase != Phase.CLOSED)
            .group_by(Case.phase)
        ).all()
    )
    return {phase: counts.get(phase, 0) for phase in ACTIVE_PHASES}


@dataclass(frozen=True)
class SittingFill:
    day: date
    sitting: Sitting
    booked: int  # hearings (not cancelled) in this sitting on this day, as the calendar counts
    closed: str | None  # the court does not sit: bank holiday or closure day
    judge_away: str | None

    @property
    def slots(self) -> int:
        return 0 if self.closed else self.sitting.slots


@dataclass(frozen=True)
class Fortnight:
    first: date
    last: date
    sittings: list[SittingFill]

    @property
    def booked(self) -> int:
        return sum(s.booked for s in self.sittings)

    @property
    def slots(self) -> int:
        return sum(s.slots for s in self.sittings)


def fortnight_sittings(user, cases: Select, today: date) -> Fortnight:
    """Each sitting of the team's court from today for 14 days, with its booked hearings and
    its slots (the calendar's own sittings, closures and absences; one count for the bookings).
    """
    first, last = today, today + timedelta(days=FORTNIGHT_DAYS - 1)
    sittings = calendar_queries.sittings_for(user)
    if not sittings:
        return Fortnight(first, last, [])
    closures = calendar_queries.closures_for(user, first, last)
    absences = calendar_queries.absences_for({s.judge_id for s in sittings}, first, last)
    booked = {
        (sitting_id, day): n
        for sitting_id, day, n in db.session.execute(
            select(Hearing.sitting_id, Hearing.day, func.count(Hearing.id))
            .where(
                Hearing.case_id.in_(_ids(cases)),
                Hearing.sitting_id.in_([s.id for s in sittings]),
                Hearing.day.between(first, last),
                Hearing.status != HearingStatus.CANCELLED,
            )
            .group_by(Hearing.sitting_id, Hearing.day)
        )
    }
    rows = []
    day = first
    while day <= last:
        if day.weekday() in COURT_WEEKDAYS:
            closed = calendar_queries.closed_because(day, closures)
            for sitting in sittings:
                if sitting.weekday != day.weekday():
                    continue
                away = next(
                    (
                        a
                        for a in absences
                        if a.judge_id == sitting.judge_id and a.first_day <= day <= a.last_day
                    ),
                    None,
                )
                rows.append(
                    SittingFill(
                        day,
                        sitting,
                        booked.get((sitting.id, day), 0),
                        closed,
                        (away.reason or "away") if away else None,
                    )
                )
        day += timedelta(days=1)
    return Fortnight(first, last, rows)


@dataclass(frozen=True)
class OutcomesToDate:
    year: int
    team: YearOutcomes | None  # None: no case closed yet this year
    published: tuple[PublishedFigures, ...]


def outcomes_to_date(cases: Select, today: date) -> OutcomesToDate:
    """This calendar year's row of the outcomes page, beside the published figures."""
    page = team_outcomes(cases)
    mine = next((year for year in page.years if year.year == today.year), None)
    return OutcomesToDate(today.year, mine, page.published)


@dataclass(frozen=True)
class Figures:
    phases: dict[Phase, int]
    fortnight: Fortnight
    week: WeekFigures
    outcomes: OutcomesToDate


def figures(user, cases: Select, today: date) -> Figures:
    """Everything the dashboard counts for `user` (cases: visible_cases(user)) on `today`."""
    return Figures(
        phases=phase_counts(cases),
        fortnight=fortnight_sittings(user, cases, today),
        week=week_figures(cases, Week.of(today)),
        outcomes=outcomes_to_date(cases, today),
    )
