"""The judge's progress summary: one case over one period, gathered for one printable page.

Every figure comes from the functions the other pages use: a parent's series from
testing_results.services, the trend and coverage from testing_results.interpret, the charts
from testing_results.charts, contact compliance from fdac.contacts, hearings and the 26-week
clock from hearings.services. This module only chooses the period and words the results.
The number of queries does not grow with the number of results, contacts or hearings.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from fdac.cases.models import Case, Parent
from fdac.contacts.compliance import Compliance, Week, week_start
from fdac.contacts.loading import compliance_for_cases
from fdac.contacts.summary import WeekLine, days_text, rate_text
from fdac.dates import uk_date
from fdac.extensions import db
from fdac.reports.events import Event, period_events
from hearings import services as hearing_services
from hearings.clock import Clock
from hearings.kinds import HearingKind, HearingStatus
from hearings.models import Hearing, HearingOutcome
from testing_results import charts, services
from testing_results.charts import CoverageShare, GroupChart
from testing_results.interpret import (
    Coverage,
    Interpretation,
    Interpreted,
    Overall,
    TrendSummary,
    coverage,
    trend_summary,
)
from testing_results.models import TestResult
from testing_results.trend import negative_run_text

NOTHING = "Nothing recorded in this period"
DEFAULT_DAYS = 14  # a fortnight: the NLR rhythm, when no review has been held yet


def default_period(case: Case, today: date) -> tuple[date, date]:
    """From the day after the last NLR held before `today` (else 14 days ago) to `today`."""
    held = db.session.scalar(
        select(Hearing.day)
        .where(
            Hearing.case_id == case.id,
            Hearing.kind == HearingKind.NLR,
            Hearing.status == HearingStatus.HELD,
            Hearing.day < today,
        )
        .order_by(Hearing.day.desc())
        .limit(1)
    )
    first = held + timedelta(days=1) if held else today - timedelta(days=DEFAULT_DAYS)
    return first, today


# ------------------------------------------------------------------------------ per parent


@dataclass(frozen=True)
class ResultLine:
    """One result in the period as the table shows it."""

    result: TestResult  # the current version, for the test's name
    interpretation: Interpretation  # per substance: its findings (the Excel export's rows)
    overall: Overall
    summary: str  # the interpretation in plain English
    confirmed: bool  # a laboratory confirmation of a screen
    amended: bool

    @property
    def collected_on(self) -> date:
        return self.result.collected_on


@dataclass(frozen=True)
class ParentContacts:
    compliance: Compliance  # the weeks overlapping the period, as at its last day
    last: date

    @property
    def counted(self) -> list[Week]:
        """The whole weeks of the period; the week of its last day still running is only
        counted when it is the only one (as the case page counts complete weeks)."""
        complete = [week for week in self.compliance.weeks if week.complete]
        return complete or [self.compliance.this_week]

    @property
    def attended(self) -> int:
        return sum(week.attended for week in self.counted)

    @property
    def target(self) -> int:
        return sum(week.target for week in self.counted)

    @property
    def recorded(self) -> bool:
        return any(
            w.attended or w.did_not_attend or w.cancelled_by_team for w in self.compliance.weeks
        )

    @property
    def period_text(self) -> str:
        weeks = self.counted
        text = rate_text(self.attended, self.target)
        if not weeks[-1].complete:
            week_of = uk_date(weeks[-1].starts_on)
            return f"{text} in the week of {week_of}, up to {uk_date(self.last)}"
        return f"{text} over {len(weeks)} whole week{'' if len(weeks) == 1 else 's'}"

    @property
    def rolling_text(self) -> str:
        return rate_text(self.compliance.rolling_attended, self.compliance.rolling_target)

    @property
    def days_since_text(self) -> str:
        return days_text(self.compliance.days_since_attended)

    @property
    def weeks(self) -> list[WeekLine]:
        return [WeekLine(week) for week in self.compliance.weeks]


@dataclass(frozen=True)
class ParentProgress:
    parent: Parent
    series: tuple[Interpreted, ...]  # every result up to the end of the period, oldest first
    results: list[ResultLine]  # oldest first
    trend: TrendSummary  # the period's series
    to_date: TrendSummary  # every result up to the end of the period
    charts: list[GroupChart]
    coverage_svg: Markup
    coverage: list[CoverageShare]
    covered: bool  # some day of the period is covered by some evidence
    contacts: ParentContacts | None

    @property
    def negatives(self) -> int:
        return sum(n for o, n in self.trend.counts.items() if o.is_negative)

    @property
    def negative_run_text(self) -> str:
        return negative_run_text(self.trend)

    @property
    def since_positive_text(self) -> str:
        s = self.to_date
        if s.last_positive_on is None:
            return "No positive or missed test recorded"
        days = s.days_since_last_positive
        return f"{days} day{'' if days == 1 else 's'} (on {uk_date(s.last_positive_on)})"


def _result_lines(testing: services.ParentTesting, first: date, last: date) -> list[ResultLine]:
    by_root = {h.root_id: h for h in testing.results}
    lines = []
    for item in testing.series:
        if not first <= item.sample.collected_on <= last:
            continue
        history = by_root[item.sample.key]
        lines.append(
            ResultLine(
                result=history.current,
                interpretation=item.interpretation,
                overall=item.overall,
                summary=item.interpretation.summary,
                confirmed=item.sample.confirms is not None,
                amended=bool(history.earlier),
            )
        )
    return lines


def _parent_progress(
    parent: Parent, testing, first: date, last: date, contacts: Compliance | None
) -> ParentProgress:
    to_date = tuple(i for i in testing.series if i.sample.collected_on <= last)
    series = [i for i in to_date if first <= i.sample.collected_on]
    rows = coverage(testing.series, first, last)  # earlier results can cover days in the period
    prefix = f"p{parent.id}"
    return ParentProgress(
        parent=parent,
        series=to_date,
        results=_result_lines(testing, first, last),
        trend=trend_summary(series, last),
        to_date=trend_summary(to_date, last),
        charts=charts.group_charts(series, first, last, id_prefix=prefix) if series else [],
        coverage_svg=charts.coverage_strip(rows, first, last, id_prefix=prefix),
        coverage=charts.coverage_table(rows),
        covered=any(day is not Coverage.NONE for row in rows for day in row.days),
        contacts=ParentContacts(contacts, last) if contacts is not None else None,
    )


# --------------------------------------------------------------------------- the summary


@dataclass(frozen=True)
class Goals:
    set_on: date
    kind: HearingKind
    outcome: HearingOutcome


@dataclass(frozen=True)
class ProgressSummary:
    case: Case
    first: date
    last: date
    today: date
    parents: list[ParentProgress]
    goals: Goals | None  # from the latest hearing held before the end of the period
    next_hearing: Hearing | None
    next_review: Hearing | None
    clock: Clock | None
    events: list[Event]

    @property
    def period_text(self) -> str:
        return f"{uk_date(self.first)} to {uk_date(self.last)}"


def last_goals(case: Case, before: date) -> Goals | None:
    """The current outcome of the latest hearing held before `before`, when it set goals."""
    hearing = db.session.scalar(
        select(Hearing)
        .where(
            Hearing.case_id == case.id,
            Hearing.status == HearingStatus.HELD,
            Hearing.day < before,
        )
        .options(selectinload(Hearing.outcomes))
        .order_by(Hearing.day.desc(), Hearing.starts_at.desc(), Hearing.id.desc())
        .limit(1)
    )
    outcome = hearing.outcome if hearing else None
    if outcome is None or not outcome.goals.strip():
        return None
    return Goals(hearing.day, hearing.kind, outcome)


def _contact_weeks(first: date, last: date) -> int:
    return (week_start(last) - week_start(first)).days // 7 + 1


def progress_summary(case: Case, first: date, last: date, today: date) -> ProgressSummary:
    """What the judge reads about `case` from `first` to `last` (both included), on `today`."""
    if last < first:
        raise ValueError("the period ends before it starts")
    parents = list(case.parents)
    compliance = compliance_for_cases([case], last, weeks=_contact_weeks(first, last)).get(
        case.id, {}
    )
    testings = {parent.id: services.parent_testing(parent) for parent in parents}
    hearings = hearing_services.case_hearings(case, today)
    return ProgressSummary(
        case=case,
        first=first,
        last=last,
        today=today,
        parents=[
            _parent_progress(parent, testings[parent.id], first, last, compliance.get(parent.id))
            for parent in parents
        ],
        goals=last_goals(case, last),
        next_hearing=hearings.next_hearing,
        next_review=hearings.next_review,
        clock=hearings.clock,
        events=period_events(case, {p.id: (p, testings[p.id]) for p in parents}, first, last),
    )
