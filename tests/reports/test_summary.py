"""The judge's progress summary: what it gathers for a period, and the page that shows it."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import event

from fdac.cases.models import PhaseChange
from fdac.cases.phases import Phase
from fdac.dates import london_today
from fdac.extensions import db
from fdac.reports.summary import default_period, progress_summary
from hearings.kinds import HearingStatus
from hearings.models import HearingOutcome
from testing_results.interpret import Overall, Reading, Status
from testing_results.models import Method, Prescription, SubstanceResult, TestResult
from testing_results.panels import Matrix, Substance
from tests import factories
from tests.conftest import error_summary
from tests.contacts.caseload_helpers import add_contact

FIRST, LAST = date(2027, 3, 2), date(2027, 3, 15)  # the day after a review, to the next


def text(tag) -> str:
    return " ".join(tag.get_text(" ").split())


def add_breath(parent, day: date, value: str = "0", status: Status = Status.RESULT, **fields):
    result = TestResult(
        case_id=parent.case_id,
        parent_id=parent.id,
        matrix=Matrix.BREATH,
        method=Method.POINT_OF_CARE,
        collected_on=day,
        status=status,
        status_reason="" if status is Status.RESULT else "Did not come to the test",
        value=Decimal(value) if status is Status.RESULT else None,
        **fields,
    )
    db.session.add(result)
    db.session.commit()
    return result


def hold(case, day: date, goals: str, kind: str = "nlr"):
    hearing = factories.add_hearing(case, day, kind, status=HearingStatus.HELD)
    db.session.add(HearingOutcome(hearing_id=hearing.id, case_id=case.id, goals=goals))
    db.session.commit()
    return hearing


@pytest.fixture
def judge(team):
    return factories.make_user("judge", team=team, name="HHJ Patel")


@pytest.fixture
def family(team, judge):
    case = factories.make_case(
        team, judge_id=judge.id, entered_on=date(2027, 1, 4), issued_on=date(2027, 1, 1)
    )
    return case, factories.add_parent(case, "Kelly Ashworth")


# --- The pure assembly ---------------------------------------------------------------------


def test_summary_gathers_the_period_from_the_pages_own_figures(family):
    case, kelly = family
    add_breath(kelly, date(2027, 2, 20))  # before the period
    add_breath(kelly, date(2027, 3, 3))
    add_breath(kelly, date(2027, 3, 5), "20")  # a positive
    add_breath(kelly, date(2027, 3, 8), status=Status.MISSED)
    original = add_breath(kelly, date(2027, 3, 10), "5")
    add_breath(kelly, date(2027, 3, 10), "0", amends_id=original.id, amendment_reason="Typo")
    add_breath(kelly, date(2027, 3, 20))  # after the period
    db.session.add(
        Prescription(
            case_id=case.id,
            parent_id=kelly.id,
            medication="Methadone oral solution",
            substance=Substance.METHADONE,
            dose="60 mg daily",
            starts_on=date(2027, 3, 4),
        )
    )
    db.session.add(
        PhaseChange(
            case_id=case.id,
            from_phase=Phase.TRIAL_FOR_CHANGE,
            to_phase=Phase.FINAL_STAGE,
            changed_on=date(2027, 3, 9),
        )
    )
    db.session.commit()
    for day in (date(2027, 3, 2), date(2027, 3, 4), date(2027, 3, 9), date(2027, 3, 15)):
        add_contact(kelly, day)
    add_contact(kelly, date(2027, 3, 11), "did_not_attend")
    hold(case, date(2027, 2, 15), "Old goals")
    hold(case, date(2027, 3, 1), "Attend every test and the parenting group")
    ahead = factories.add_hearing(case, date(2027, 3, 29))
    moved = factories.add_hearing(case, date(2027, 3, 22), "irh")
    change = moved.record_change("cancelled", "The local authority asked for more time")
    change.changed_at = datetime(2027, 3, 12, 11, tzinfo=UTC)
    moved.status = HearingStatus.CANCELLED
    db.session.commit()

    report = progress_summary(case, FIRST, LAST, today=LAST)

    [p] = report.parents
    assert [(r.collected_on, r.overall) for r in p.results] == [
        (date(2027, 3, 3), Overall.NEGATIVE),
        (date(2027, 3, 5), Overall.POSITIVE),
        (date(2027, 3, 8), Overall.MISSED),
        (date(2027, 3, 10), Overall.NEGATIVE),
    ]
    assert p.results[1].summary == "Alcohol detected"
    assert [r.amended for r in p.results] == [False, False, False, True]
    assert (p.trend.total, p.negatives, p.trend.counted_as_positive) == (4, 2, 2)
    assert p.since_positive_text == "7 days (on 8 March 2027)"
    assert [c.group.value for c in p.charts] == ["alcohol"]
    assert p.covered and p.coverage[0].label == "Alcohol"
    # Contacts: the whole weeks of 1 and 8 March, two a week in the trial for change; the week
    # of 15 March (one a week in the final stage, reached on 9 March) is still running.
    assert p.contacts.period_text == "3 of 4 (75%) over 2 whole weeks"
    assert [w.week.target for w in p.contacts.weeks] == [2, 2, 1]
    assert p.contacts.compliance.did_not_attend == 1
    assert report.goals.outcome.goals == "Attend every test and the parenting group"
    assert report.goals.set_on == date(2027, 3, 1)
    assert report.next_hearing.id == ahead.id
    assert (report.clock.week, report.clock.deadline) == (11, date(2027, 7, 2))
    assert [(e.on, e.kind) for e in report.events] == [
        (date(2027, 3, 4), "Prescription"),
        (date(2027, 3, 5), "Test"),
        (date(2027, 3, 8), "Test"),
        (date(2027, 3, 9), "Phase"),
        (date(2027, 3, 12), "Hearing"),
    ]
    assert "Methadone oral solution, 60 mg daily" in report.events[0].text
    assert report.events[2].text == (
        "Kelly Ashworth: Breath alcohol: Missed (did not attend): counts as a positive"
    )
    assert "cancelled: The local authority asked for more time" in report.events[4].text


def test_a_laboratory_confirmation_replaces_its_screen_and_is_marked(family):
    case, kelly = family
    screen = TestResult(
        case_id=case.id,
        parent_id=kelly.id,
        matrix=Matrix.URINE,
        method=Method.POINT_OF_CARE,
        collected_on=date(2027, 3, 4),
        readings=[SubstanceResult(substance=Substance.COCAINE, screen=Reading.POSITIVE)],
    )
    db.session.add(screen)
    db.session.commit()
    lab = TestResult(
        case_id=case.id,
        parent_id=kelly.id,
        matrix=Matrix.URINE,
        method=Method.LABORATORY,
        collected_on=date(2027, 3, 4),
        confirms_id=screen.id,
        readings=[SubstanceResult(substance=Substance.COCAINE, value=Decimal("100"))],
    )
    db.session.add(lab)
    db.session.commit()

    [p] = progress_summary(case, FIRST, LAST, today=LAST).parents

    [line] = p.results
    assert (line.result.id, line.overall, line.confirmed) == (lab.id, Overall.NEGATIVE, True)
    assert line.summary == "Negative for every substance tested"


def test_the_default_period_starts_the_day_after_the_last_held_review(family):
    case, _ = family
    assert default_period(case, LAST) == (LAST - timedelta(days=14), LAST)
    hold(case, date(2027, 3, 1), "Goals")
    factories.add_hearing(case, date(2027, 3, 8))  # planned, not held: does not count
    assert default_period(case, LAST) == (FIRST, LAST)


# --- The page ------------------------------------------------------------------------------


def test_the_judge_of_the_case_reads_the_summary(family, judge, signed_in):
    case, kelly = family
    add_breath(kelly, date(2027, 3, 5), "20")
    add_breath(kelly, date(2027, 3, 8), status=Status.MISSED)

    page = signed_in(judge).get(
        "reports.summary", reference=case.reference, **{"from": "2027-03-02", "to": "2027-03-15"}
    )

    assert len(page.select("h1")) == 1
    header = text(page.select_one("#report-header"))
    assert case.court_case_number in header and case.reference in header
    assert "HHJ Patel" in header and "2 March 2027 to 15 March 2027" in header
    results = text(page.select_one(f"#results-{kelly.id}"))
    assert "Alcohol detected" in results
    assert "Missed (did not attend): counts as a positive" in results
    headings = [text(h) for h in page.select("main h2")]
    assert headings == [
        "Summary at a glance",
        "Test results",
        "Contacts",
        "Last review's goals",
        "The 26-week clock and next hearings",
        "Notable events",
    ]
    ids = [tag["id"] for tag in page.select("[id]")]
    assert len(ids) == len(set(ids))


def test_at_a_glance_gives_the_longest_run_of_negatives_in_tests_and_days(family, judge, signed_in):
    case, kelly = family
    for on in (date(2027, 3, 2), date(2027, 3, 5), date(2027, 3, 9)):
        add_breath(kelly, on)
    add_breath(kelly, date(2027, 3, 10), "20")

    page = signed_in(judge).get(
        "reports.summary", reference=case.reference, **{"from": "2027-03-02", "to": "2027-03-15"}
    )

    glance = text(page.select_one(f"#glance-{kelly.id}"))
    assert "Longest run of negative tests 3 (longest span of negatives: 8 days)" in glance


def test_a_period_with_nothing_recorded_says_so(family, judge, signed_in):
    case, _ = family
    page = signed_in(judge).get(
        "reports.summary", reference=case.reference, **{"from": "2027-02-01", "to": "2027-02-07"}
    )
    assert "Nothing recorded in this period" in text(page)
    assert len(page.select(".app-nothing")) >= 3  # results, contacts, events


def test_a_practitioner_of_the_team_reads_it_and_other_judges_and_admins_do_not(
    family, team, signed_in
):
    case, _ = family
    signed_in("practitioner").get("reports.summary", reference=case.reference)
    other = factories.make_user("judge", team=team)
    signed_in(other).get("reports.summary", _expected_status=404, reference=case.reference)
    signed_in("admin").get("reports.summary", _expected_status=404, reference=case.reference)


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"from": "2027-02-30"}, "from", "From must be a real date"),
        ({"from": "2027-03-10", "to": "2027-03-01"}, "to", "To must be the same as or after From"),
    ],
)
def test_a_bad_period_names_the_field(family, judge, signed_in, values, field, message):
    case, _ = family
    page = signed_in(judge).get(
        "reports.summary", _expected_status=400, reference=case.reference, **values
    )
    [problem] = error_summary(page)
    assert problem.startswith(message)
    assert page.select_one(".govuk-error-summary a")["href"] == f"#{field}-day"
    assert page.title.get_text().startswith("Error:")


def test_by_default_the_page_covers_the_time_since_the_last_held_review(family, judge, signed_in):
    case, _ = family
    today = london_today()
    hold(case, today - timedelta(days=10), "Keep going")

    page = signed_in(judge).get("reports.summary", reference=case.reference)

    first = today - timedelta(days=9)
    assert boxes(page, "from") == (str(first.day), str(first.month), str(first.year))
    assert boxes(page, "to") == (str(today.day), str(today.month), str(today.year))
    assert "Keep going" in text(page.select_one("#goals").find_next("div"))


def boxes(page, name: str) -> tuple[str, str, str]:
    """What the day, month and year boxes of `name` show."""
    return tuple(page.select_one(f"#{name}-{part}")["value"] for part in ("day", "month", "year"))


def test_the_period_is_typed_as_day_month_and_year(family, judge, signed_in):
    case, kelly = family
    add_breath(kelly, date(2027, 3, 3))
    add_breath(kelly, date(2027, 3, 20))  # after the period
    typed = {"from-day": "2", "from-month": "3", "from-year": "2027"}
    typed |= {"to-day": "15", "to-month": "3", "to-year": "2027"}

    page = signed_in(judge).get("reports.summary", reference=case.reference, **typed)

    assert text(page.select_one("#period")) == "2 March 2027 to 15 March 2027"
    assert boxes(page, "from") == ("2", "3", "2027")
    assert "3 March 2027" in text(page) and "20 March 2027" not in text(page)
    # The downloads carry the same period.
    assert "from=2027-03-02" in page.select_one("#download-pdf")["href"]


@pytest.mark.parametrize(
    "typed",
    [
        {"from-day": "30", "from-month": "2", "from-year": "2027"},
        {"from-day": "3", "from-month": "", "from-year": "2027"},
        {"from-day": "3", "from-month": "3", "from-year": "27"},
    ],
)
def test_a_date_that_is_not_real_is_refused_and_shown_as_typed(family, judge, signed_in, typed):
    case, _ = family
    page = signed_in(judge).get(
        "reports.summary", _expected_status=400, reference=case.reference, **typed
    )
    [problem] = error_summary(page)
    assert problem == "From must be a real date, with a day, month and 4-digit year"
    assert page.select_one(".govuk-error-summary a")["href"] == "#from-day"
    assert boxes(page, "from") == (typed["from-day"], typed["from-month"], typed["from-year"])


def test_the_case_page_links_to_the_summary(family, judge, signed_in):
    case, _ = family
    page = signed_in(judge).get("cases.show", reference=case.reference)
    link = page.select_one("#progress-summary-link")
    assert link["href"].endswith(f"/cases/{case.reference}/summary")


def _queries(client, **values) -> int:
    statements = []

    def record(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        client.get("reports.summary", **values)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return len(statements)


def test_the_number_of_queries_does_not_grow_with_the_results(family, judge, signed_in):
    case, kelly = family
    client = signed_in(judge)
    period = {"reference": case.reference, "from": "2027-01-04", "to": "2027-03-28"}
    hold(case, date(2027, 2, 1), "Goals")
    for day in range(3):
        add_breath(kelly, date(2027, 1, 5) + timedelta(days=day))
        add_contact(kelly, date(2027, 1, 5) + timedelta(days=day))
    few = _queries(client, **period)
    for day in range(3, 60):
        add_breath(kelly, date(2027, 1, 5) + timedelta(days=day), "20" if day % 7 else "0")
        add_contact(kelly, date(2027, 1, 5) + timedelta(days=day))
    assert _queries(client, **period) == few
