"""What a parent's results page shows, gathered in one place so the view stays thin and the
judge's summary (reports) can reuse it."""

from dataclasses import dataclass
from datetime import date

from markupsafe import Markup
from sqlalchemy import select

from fdac.cases.models import Case, Parent, PhaseChange
from fdac.cases.phases import Phase
from fdac.dates import uk_date
from fdac.extensions import db
from fdac.paging import ListPage
from testing_results import charts, services
from testing_results.interpret import (
    CoverageRow,
    Interpreted,
    Overall,
    TrendSummary,
    coverage,
    trend_summary,
)
from testing_results.models import Prescription, TestResult

RESULTS_PER_PAGE = 25


def trial_start(case: Case) -> date:
    """When the trial for change began (testing runs through it); else entry to FDAC."""
    started = db.session.scalar(
        select(PhaseChange.changed_on)
        .where(PhaseChange.case_id == case.id, PhaseChange.to_phase == Phase.TRIAL_FOR_CHANGE)
        .order_by(PhaseChange.changed_on)
        .limit(1)
    )
    return started or case.entered_on


def _date_arg(args, name: str) -> date | None:
    try:
        return date.fromisoformat(args.get(name, ""))
    except ValueError:
        return None


@dataclass
class TrendPage:
    start: date
    end: date
    summary: TrendSummary
    results: ListPage  # of services.ResultHistory in the period, newest first
    charts: list
    coverage_svg: Markup
    coverage_rows: list[CoverageRow]
    prescriptions: list[Prescription]

    @property
    def summary_rows(self) -> list[tuple[str, str]]:
        """The trend's figures as the page lists them."""
        s = self.summary
        since = (
            f"{s.days_since_last_positive} ({uk_date(s.last_positive_on)})"
            if s.last_positive_on
            else "No positive in this period"
        )
        return [
            ("Tests", str(s.total)),
            *((o.label, str(s.counts[o])) for o in Overall),
            (
                "Counted as positive",
                f"{s.counted_as_positive} (positives, and tests that did not happen)",
            ),
            ("Longest run of negative tests", negative_run_text(s)),
            ("Current run of negative tests", str(s.current_negative_run)),
            ("Days since the last positive, or missed test", since),
        ]


def negative_run_text(s: TrendSummary) -> str:
    """ "4 (longest span of negatives: 9 days)": the longest run in tests, and in days."""
    if not s.longest_negative_run:
        return "0"
    days = s.longest_negative_run_days
    unit = "day" if days == 1 else "days"
    return f"{s.longest_negative_run} (longest span of negatives: {days} {unit})"


def parent_page(case: Case, parent: Parent, args, *, today: date) -> TrendPage:
    testing = services.parent_testing(parent)
    start = _date_arg(args, "from") or min(
        [trial_start(case), *(i.sample.collected_on for i in testing.series)], default=today
    )
    end = _date_arg(args, "to") or today
    if end < start:
        start, end = end, start
    series: list[Interpreted] = [i for i in testing.series if start <= i.sample.collected_on <= end]
    rows = coverage(testing.series, start, end)  # earlier results can cover days in the period
    return TrendPage(
        start=start,
        end=end,
        summary=trend_summary(series, today),
        results=ListPage.of(
            sorted(
                (h for h in testing.results if start <= h.current.collected_on <= end),
                key=lambda h: (h.current.collected_on, h.current.id),
                reverse=True,
            ),
            args.get("page"),
            RESULTS_PER_PAGE,
        ),
        charts=charts.group_charts(series, start, end, id_prefix=f"p{parent.id}"),
        coverage_svg=charts.coverage_strip(rows, start, end, id_prefix=f"p{parent.id}"),
        coverage_rows=rows,
        prescriptions=testing.prescriptions,
    )


def result_history(parent: Parent, result: TestResult) -> services.ResultHistory:
    """The whole chain a result belongs to, whichever version was asked for."""
    for history in services.parent_testing(parent).results:
        if result.id in {history.current.id, *(r.id for r in history.earlier)}:
            return history
    raise LookupError(result.id)
