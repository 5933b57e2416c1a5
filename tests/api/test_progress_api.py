"""GET /api/v1/cases/{reference}/progress: the judge's summary as figures, the summary's own."""

import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest

from fdac.api.progress import MAX_PERIOD_DAYS
from fdac.contacts.compliance import week_start
from fdac.dates import LONDON, london_today
from fdac.extensions import db
from fdac.reports.summary import progress_summary
from hearings.kinds import HearingStatus
from hearings.models import Extension
from testing_results.interpret import Status
from testing_results.models import Method, SubstanceResult, TestResult
from testing_results.panels import Matrix, Substance
from tests import factories
from tests.api.conftest import make_lab
from tests.contacts.caseload_helpers import add_contact

TODAY = london_today()
M = week_start(TODAY) - timedelta(weeks=3)  # a Monday 15 to 21 days ago
FIRST, LAST = M, M + timedelta(days=13)  # two weeks, Monday to Sunday, all in the past
ISSUED = TODAY - timedelta(days=73)
OFFSET = re.compile(r"T\d\d:\d\d:\d\d[+-]\d\d:\d\d$")


def day(n: int) -> date:
    return M + timedelta(days=n)


def add_breath(parent, on: date, value: str = "0", status: Status = Status.RESULT):
    result = TestResult(
        case_id=parent.case_id,
        parent_id=parent.id,
        matrix=Matrix.BREATH,
        method=Method.POINT_OF_CARE,
        collected_on=on,
        status=status,
        status_reason="" if status is Status.RESULT else "Did not come to the test",
        value=Decimal(value) if status is Status.RESULT else None,
    )
    db.session.add(result)
    db.session.commit()
    return result


def add_urine(parent, on: date, cocaine: str, creatinine: str):
    result = TestResult(
        case_id=parent.case_id,
        parent_id=parent.id,
        matrix=Matrix.URINE,
        method=Method.LABORATORY,
        collected_on=on,
        creatinine_mg_dl=Decimal(creatinine),
        readings=[SubstanceResult(substance=Substance.COCAINE, value=Decimal(cocaine), cutoff=150)],
    )
    db.session.add(result)
    db.session.commit()
    return result


def make_judge(team):
    return factories.make_user("judge", team=team, name="HHJ Patel")


def make_family(team, judge):
    """A case of the judge's with tests, contacts, hearings and an extension around FIRST-LAST."""
    case = factories.make_case(
        team,
        judge_id=judge.id,
        entered_on=TODAY - timedelta(days=70),
        issued_on=ISSUED,
    )
    kelly = factories.add_parent(case, "Kelly Ashworth")
    add_urine(kelly, day(-5), cocaine="420", creatinine="80")  # before the period: positive
    add_breath(kelly, day(1))
    add_breath(kelly, day(2))
    add_breath(kelly, day(3), "20")  # a positive
    add_breath(kelly, day(5), status=Status.MISSED)
    add_urine(kelly, day(8), cocaine="0", creatinine="10")  # dilute: not a negative
    add_breath(kelly, day(9))
    add_breath(kelly, day(10))
    for on in (day(0), day(2), day(8)):
        add_contact(kelly, on)
    add_contact(kelly, day(9), "did_not_attend")
    factories.add_hearing(case, day(-1), status=HearingStatus.HELD)  # the last review
    other = factories.add_hearing(case, TODAY + timedelta(days=1), "directions")
    review = factories.add_hearing(case, TODAY + timedelta(days=3), starts_at=time(14, 30))
    db.session.add(
        Extension(
            case_id=case.id,
            granted_on=TODAY - timedelta(days=10),
            weeks=8,
            reason="Kelly Ashworth asked for time to finish detox",
        )
    )
    db.session.commit()
    return case, kelly, other, review


@pytest.fixture
def judge(team):
    return make_judge(team)


@pytest.fixture
def family(team, judge):
    return make_family(team, judge)


def path(case, **query) -> str:
    args = "&".join(f"{k}={v}" for k, v in query.items())
    return f"/api/v1/cases/{case.reference}/progress" + (f"?{args}" if args else "")


def test_the_figures_are_the_summarys_own(api_as, family, judge):
    case, kelly, other, review = family

    response = api_as(judge).get(path(case, **{"from": FIRST, "to": LAST}))

    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    report = progress_summary(case, FIRST, LAST, TODAY)
    [p] = report.parents
    assert (body["reference"], body["from"], body["to"]) == (
        case.reference,
        FIRST.isoformat(),
        LAST.isoformat(),
    )
    [parent] = body["parents"]
    assert (parent["parent_id"], parent["name"]) == (kelly.id, "Kelly Ashworth")
    tests = parent["tests"]
    # Against the summary's own objects...
    assert tests["total"] == p.trend.total
    assert tests["negative"] + tests["consistent_with_prescription"] == p.negatives
    assert tests["counted_as_positive"] == p.trend.counted_as_positive
    assert tests["longest_negative_run_tests"] == p.trend.longest_negative_run
    assert tests["longest_negative_run_days"] == p.trend.longest_negative_run_days
    assert tests["last_positive_on"] == p.to_date.last_positive_on.isoformat()
    assert tests["days_since_last_positive"] == p.to_date.days_since_last_positive
    # ...and against numbers known by hand: N N P M D N N.
    assert {k: tests[k] for k in ("total", "negative", "positive", "missed", "dilute")} == {
        "total": 7,
        "negative": 4,
        "positive": 1,
        "missed": 1,
        "dilute": 1,
    }
    assert (tests["refused"], tests["counted_as_positive"]) == (0, 2)
    assert tests["longest_negative_run_tests"] == 2
    assert tests["longest_negative_run_days"] == 2  # days 1-2, and days 9-10
    assert (tests["last_positive_on"], tests["days_since_last_positive"]) == (
        day(5).isoformat(),
        8,
    )

    groups = {g["group"]: g for g in parent["groups"]}
    assert list(groups) == [
        "alcohol",
        "cocaine",
        "cannabis",
        "amphetamines",
        "opioids",
        "benzodiazepines",
    ]
    alcohol, cocaine = groups["alcohol"], groups["cocaine"]
    assert (alcohol["total"], alcohol["negative"], alcohol["positive"], alcohol["missed"]) == (
        6,
        4,
        1,
        1,
    )
    assert (alcohol["dilute"], alcohol["longest_negative_run_tests"]) == (0, 2)
    assert alcohol["days_since_last_positive"] == 8
    # Cocaine: only the dilute urine in the period; its last positive came before it.
    assert (cocaine["total"], cocaine["dilute"], cocaine["negative"]) == (1, 1, 0)
    assert (cocaine["last_positive_on"], cocaine["days_since_last_positive"]) == (
        day(-5).isoformat(),
        18,
    )
    assert groups["cannabis"]["total"] == 0 and groups["cannabis"]["last_positive_on"] is None

    # Contacts: the whole week of M (2 of 2); the week of M + 7 is running on the last day.
    contacts = parent["contacts"]
    assert (contacts["attended"], contacts["target"]) == (p.contacts.attended, p.contacts.target)
    assert (contacts["attended"], contacts["target"]) == (2, 2)
    assert contacts["weeks"] == [
        {"week_starting": day(0).isoformat(), "attended": 2, "target": 2, "complete": True},
        {"week_starting": day(7).isoformat(), "attended": 1, "target": 2, "complete": False},
    ]

    # Hearings: a directions hearing is "other"; times carry London's offset.
    tomorrow = datetime.combine(TODAY + timedelta(days=1), time(10), tzinfo=LONDON)
    assert body["next_hearing"] == {
        "id": other.id,
        "kind": "other",
        "starts_at": tomorrow.isoformat(),
    }
    assert report.next_hearing.id == other.id and report.next_review.id == review.id
    assert body["next_review"]["id"] == review.id and body["next_review"]["kind"] == "nlr"
    assert OFFSET.search(body["next_review"]["starts_at"])
    assert body["next_review"]["starts_at"].startswith(
        f"{(TODAY + timedelta(days=3)).isoformat()}T14:30:00"
    )

    # The 26-week clock, as the summary's.
    clock = body["clock"]
    assert clock["issued_on"] == ISSUED.isoformat()
    assert clock["weeks_since_issue"] == 73 // 7 == report.clock.weeks_since_issue
    assert clock["deadline"] == (ISSUED + timedelta(weeks=26)).isoformat()
    assert clock["with_extensions"] == (ISSUED + timedelta(weeks=34)).isoformat()
    assert clock["extensions"] == [
        {
            "granted_on": (TODAY - timedelta(days=10)).isoformat(),
            "weeks": 8,
            "reason": "Kelly Ashworth asked for time to finish detox",
        }
    ]


def test_the_default_period_is_the_summary_pages(api_as, family, judge):
    case, *_ = family
    client = api_as(judge)

    body = client.get(path(case)).get_json()
    only_from = client.get(path(case, **{"from": day(3)})).get_json()
    only_to = client.get(path(case, to=day(12))).get_json()

    # From the day after the last review held, to today.
    assert (body["from"], body["to"]) == (day(0).isoformat(), TODAY.isoformat())
    assert (only_from["from"], only_from["to"]) == (day(3).isoformat(), TODAY.isoformat())
    assert (only_to["from"], only_to["to"]) == (day(0).isoformat(), day(12).isoformat())


def test_a_case_not_yet_issued_has_no_clock_and_no_hearing(api_as, team):
    case = factories.make_case(team, issued_on=None, entered_on=TODAY - timedelta(days=20))
    factories.add_parent(case)

    body = api_as("practitioner").get(path(case)).get_json()

    assert body["clock"] is None
    assert body["next_hearing"] is None and body["next_review"] is None
    assert body["parents"][0]["tests"]["total"] == 0


def test_anonymise_leaves_no_name(api_as, family, judge):
    case, kelly, *_ = family

    response = api_as(judge).get(path(case, anonymise="true", **{"from": FIRST, "to": LAST}))

    assert response.status_code == 200
    assert response.get_json()["anonymised"] is True
    assert "Kelly" not in response.text and "Ashworth" not in response.text
    [parent] = response.get_json()["parents"]
    assert parent["parent_id"] == kelly.id and parent["name"]


def test_who_may_read_the_progress(api_as, family, team):
    case, *_ = family
    other_judge = factories.make_user("judge", team=team, name="HHJ Okafor")

    assert api_as("practitioner").get(path(case)).status_code == 200
    assert api_as("team_manager").get(path(case)).status_code == 200
    for who, status in ((other_judge, 404), (make_lab(team), 403), ("admin", 404)):
        response = api_as(who).get(path(case))
        assert response.status_code == status
        assert response.get_json()["errors"][0]["field"] is None
    assert api_as("judge").get("/api/v1/cases/FDAC-NOPE/progress").status_code == 404


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"from": "2026-11-10", "to": "2026-11-01"}, "to"),
        ({"from": "10/11/2026"}, "from"),
        ({"to": "2026-02-30"}, "to"),
        ({"from": "1999-12-31"}, "from"),
        ({"to": "2100-01-01"}, "to"),
        ({"from": "2020-01-01", "to": "2025-01-01"}, "to"),
        ({"anonymise": "maybe"}, "anonymise"),
        ({"judge": "1"}, "judge"),
    ],
)
def test_bad_periods_are_refused_naming_the_field(api_as, family, judge, query, field):
    case, *_ = family

    response = api_as(judge).get(path(case, **query))

    assert response.status_code == 422
    assert [e["field"] for e in response.get_json()["errors"]] == [field]


def test_both_bad_dates_are_named_at_once(api_as, family, judge):
    case, *_ = family

    response = api_as(judge).get(path(case, **{"from": "x", "to": "y"}))

    assert response.status_code == 422
    assert {e["field"] for e in response.get_json()["errors"]} == {"from", "to"}


def test_the_longest_period_allowed(api_as, family, judge):
    case, *_ = family
    client = api_as(judge)
    first = LAST - timedelta(days=MAX_PERIOD_DAYS - 1)

    longest = client.get(path(case, **{"from": first, "to": LAST}))
    too_long = client.get(path(case, **{"from": first - timedelta(days=1), "to": LAST}))

    assert longest.status_code == 200
    assert longest.get_json()["parents"][0]["tests"]["total"] == 8
    assert too_long.status_code == 422
