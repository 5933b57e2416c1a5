"""GET /api/v1/cases/{reference}/progress: the judge's progress summary as figures.

Per parent, `tests`, `contacts`, the hearings and the clock are the summary's own figures
(fdac.reports.summary.progress_summary, the function the summary page and its exports call),
only turned into the answer: `tests` is its "at a glance" block (the period's TrendSummary,
and the last positive from every result up to the end of the period, as the page says it).
The summary does not split tests by substance group, so `groups` runs the same trend_summary
on each group's readings, each test read for that group as the summary's charts read it
(testing_results.charts.group_outcomes), from the series the summary read.

The period is the page's: each of `from` and `to` defaults on its own (the day after the last
review held, else 14 days ago; today), and `to` before `from` is refused naming `to`.

The page sets no longest period; the API does (MAX_PERIOD_DAYS, and dates from EARLIEST to
LATEST), so that no request can ask for centuries of weeks and charts.
"""

from collections.abc import Sequence
from datetime import date, datetime
from typing import Annotated, NamedTuple

from pydantic import Field

from fdac.api.cases import case_for_api
from fdac.api.errors import ApiValidationError
from fdac.api.fields import HEARING_KIND_CODES, HearingKindCode, LondonDateTime
from fdac.api.spec import ApiModel, api
from fdac.auth.access import Action
from fdac.cases.models import Case
from fdac.dates import LONDON, london_today
from fdac.reports import summary as progress
from fdac.reports.case_pseudonyms import pseudonyms_for_case
from hearings.models import Hearing
from testing_results import charts
from testing_results.interpret import Interpreted, Overall, TrendSummary, trend_summary
from testing_results.panels import SubstanceGroup

EARLIEST = date(2000, 1, 1)
LATEST = date(2099, 12, 31)
MAX_PERIOD_DAYS = 366 * 3  # three years: longer than any case runs in FDAC

PeriodDay = Annotated[date | None, Field(ge=EARLIEST, le=LATEST)]


class PeriodQuery(ApiModel):
    from_: PeriodDay = Field(
        None,
        alias="from",
        description="The first day of the period (YYYY-MM-DD), included. Omitted: the day after "
        "the last review (NLR) held before today, else 14 days ago, as the summary page "
        "chooses; given alone, `to` still defaults to today (a `from` after today is then "
        f"refused naming `to`). From {EARLIEST} to {LATEST}.",
    )
    to: PeriodDay = Field(
        None,
        description="The last day of the period (YYYY-MM-DD), included; not before `from`, and "
        f"at most {MAX_PERIOD_DAYS} days after it. Omitted: today.",
    )
    anonymise: bool = Field(False, description="No names: relationships and initials instead")


def period_for(case: Case, query: PeriodQuery, today: date) -> tuple[date, date]:
    """The period asked for, each end defaulting as the summary page's does; else a 422."""
    default_first, default_last = progress.default_period(case, today)
    first = query.from_ or default_first
    last = query.to or default_last
    if last < first:
        raise ApiValidationError([("to", "Must be the same as or after from")])
    if (last - first).days + 1 > MAX_PERIOD_DAYS:
        raise ApiValidationError(
            [("to", f"A period is at most {MAX_PERIOD_DAYS} days: choose a later from")]
        )
    return first, last


# ------------------------------------------------------------------------------ the answer


class ResultFigures(ApiModel):
    total: int = Field(
        description="Tests collected in the period (a confirmation replaces its screen)"
    )
    negative: int = Field(description="Negative results in the period")
    positive: int = Field(description="Positive results in the period")
    missed: int = Field(description="Tests missed in the period (counted as positive)")
    refused: int = Field(description="Tests refused in the period (counted as positive)")
    unable_to_provide: int = Field(description="No sample could be given (counted as positive)")
    dilute: int = Field(description="Dilute samples in the period: not a negative")
    consistent_with_prescription: int = Field(
        description="Results explained by a prescription: extend a run of negatives"
    )
    counted_as_positive: int = Field(description="Positives, and tests that did not happen")
    longest_negative_run_tests: int = Field(
        description="The longest run of consecutive negative tests in the period, in tests "
        "(as the summary and the results page count it; a dilute result breaks a run)"
    )
    longest_negative_run_days: int = Field(
        description="The most days one unbroken run of negative tests spans in the period, "
        "from its first test's day to its last's, both counted (one negative: 1 day; none: 0)"
    )
    last_positive_on: date | None = Field(
        description="The last positive or missed test up to the end of the period; null: none"
    )
    days_since_last_positive: int | None = Field(
        description="Days from last_positive_on to the end of the period; null: none"
    )


class GroupFigures(ResultFigures):
    group: SubstanceGroup = Field(
        description="The substance group, as the summary charts it (a fixed lower-case name)"
    )


class ContactWeek(ApiModel):
    week_starting: date = Field(description="The Monday the week starts on")
    attended: int = Field(description="Contacts attended that week")
    target: int = Field(description="The week's target of attended contacts")
    complete: bool = Field(description="False for the week still running at the period's end")


class ContactFigures(ApiModel):
    attended: int = Field(
        description="Attended contacts over the period's whole weeks, as the summary counts "
        "them (only the running week when the period has no whole week)"
    )
    target: int = Field(description="The target over the same weeks")
    weeks: list[ContactWeek] = Field(description="Each week overlapping the period, oldest first")


class ParentFigures(ApiModel):
    parent_id: int
    name: str = Field(description="The parent's name; with anonymise, 'the mother' and the like")
    tests: ResultFigures = Field(description="Every test of the parent: the summary's figures")
    groups: list[GroupFigures] = Field(
        description="The same figures for each substance group, every group listed"
    )
    contacts: ContactFigures | None = Field(description="Null when no contact target applies")


class HearingFigure(ApiModel):
    id: int
    kind: HearingKindCode = Field(description="As GET /hearings names it")
    starts_at: LondonDateTime = Field(description="ISO 8601, London time with its offset")


class ExtensionFigure(ApiModel):
    granted_on: date
    weeks: int
    reason: str = Field(description="Why the court extended; names replaced with anonymise")


class ClockFigures(ApiModel):
    issued_on: date
    weeks_since_issue: int = Field(description="Whole weeks from issue to today")
    deadline: date = Field(description="The statutory deadline: 26 weeks from issue")
    with_extensions: date = Field(description="The deadline moved on by every extension")
    extensions: list[ExtensionFigure] = Field(description="Extensions granted, oldest first")


class Progress(ApiModel):
    reference: str
    from_: date = Field(alias="from", description="The first day of the period")
    to: date = Field(description="The last day of the period")
    anonymised: bool
    parents: list[ParentFigures]
    next_hearing: HearingFigure | None = Field(description="The next planned hearing of any kind")
    next_review: HearingFigure | None = Field(description="The next planned review (NLR)")
    clock: ClockFigures | None = Field(description="Null while proceedings are not issued")


def _figures(trend: TrendSummary, to_date: TrendSummary) -> dict:
    counts = trend.counts
    return {
        "total": trend.total,
        "negative": counts[Overall.NEGATIVE],
        "positive": counts[Overall.POSITIVE],
        "missed": counts[Overall.MISSED],
        "refused": counts[Overall.REFUSED],
        "unable_to_provide": counts[Overall.UNABLE_TO_PROVIDE],
        "dilute": counts[Overall.DILUTE],
        "consistent_with_prescription": counts[Overall.CONSISTENT_WITH_PRESCRIPTION],
        "counted_as_positive": trend.counted_as_positive,
        "longest_negative_run_tests": trend.longest_negative_run,
        "longest_negative_run_days": trend.longest_negative_run_days,
        "last_positive_on": to_date.last_positive_on,
        "days_since_last_positive": to_date.days_since_last_positive,
    }


class _GroupReading(NamedTuple):
    """One test as the summary's chart of a group reads it: what trend_summary needs."""

    sample: object
    overall: Overall


def _group_series(series: Sequence[Interpreted], first: date, last: date) -> dict:
    """Each group's readings from `first` to `last`, oldest first, as the charts read them."""
    if not series:
        return {group: [] for group in SubstanceGroup}
    return {
        group: [_GroupReading(item.sample, outcome) for item, outcome in found]
        for group, found in charts.group_outcomes(series, first, last).items()
    }


def _groups(series: Sequence[Interpreted], first: date, last: date) -> list[GroupFigures]:
    """Per group: the period's readings, and every reading up to its end (for the last
    positive), through trend_summary as the summary's own figures are, from the series the
    summary read."""
    start = min((i.sample.collected_on for i in series), default=first)
    period = _group_series(series, first, last)
    to_date = _group_series(series, min(start, first), last)
    return [
        GroupFigures(
            group=group,
            **_figures(trend_summary(period[group], last), trend_summary(to_date[group], last)),
        )
        for group in SubstanceGroup
    ]


def _contacts(contacts: progress.ParentContacts | None) -> ContactFigures | None:
    if contacts is None:
        return None
    return ContactFigures(
        attended=contacts.attended,
        target=contacts.target,
        weeks=[
            ContactWeek(
                week_starting=w.starts_on, attended=w.attended, target=w.target, complete=w.complete
            )
            for w in contacts.compliance.weeks
        ],
    )


def _hearing(hearing: Hearing | None) -> HearingFigure | None:
    if hearing is None:
        return None
    return HearingFigure(
        id=hearing.id,
        kind=HEARING_KIND_CODES[hearing.kind],
        starts_at=datetime.combine(hearing.day, hearing.starts_at, tzinfo=LONDON),
    )


def progress_out(report: progress.ProgressSummary, anonymise: bool) -> Progress:
    names = pseudonyms_for_case(report.case) if anonymise else None
    clock = report.clock
    return Progress(
        reference=report.case.reference,
        from_=report.first,
        to=report.last,
        anonymised=anonymise,
        parents=[
            ParentFigures(
                parent_id=p.parent.id,
                name=names.name_for(p.parent) if names else p.parent.name,
                tests=ResultFigures(**_figures(p.trend, p.to_date)),
                groups=_groups(p.series, report.first, report.last),
                contacts=_contacts(p.contacts),
            )
            for p in report.parents
        ],
        next_hearing=_hearing(report.next_hearing),
        next_review=_hearing(report.next_review),
        clock=None
        if clock is None
        else ClockFigures(
            issued_on=clock.issued_on,
            weeks_since_issue=clock.weeks_since_issue,
            deadline=clock.statutory_deadline,
            with_extensions=clock.deadline,
            extensions=[
                ExtensionFigure(
                    granted_on=e.granted_on,
                    weeks=e.weeks,
                    reason=names.apply(e.reason) if names else e.reason,
                )
                for e in clock.extensions
            ],
        ),
    )


@api(
    "GET",
    "/cases/{reference}/progress",
    summary="A case's progress over a period: the judge's summary as figures",
    query=PeriodQuery,
    answer=Progress,
    errors=(403, 404),
    tags=("progress",),
)
def case_progress(reference: str, query: PeriodQuery):
    """The figures of the judge's progress summary for the period, from the same functions."""
    case = case_for_api(reference, Action.VIEW_SUMMARY)
    today = london_today()
    first, last = period_for(case, query, today)
    return progress_out(progress.progress_summary(case, first, last, today), query.anonymise)
