"""The morning contact job: each parent below target two weeks running, or not seen for 7 days,
flagged on the manager's home page; cleared when contact recovers; nothing duplicated when the
job runs twice or two schedulers run it at once."""

import threading
from datetime import date, timedelta

from sqlalchemy import event, select

from fdac.cases.phases import Phase
from fdac.contacts import jobs
from fdac.extensions import db
from fdac.flags.models import Flag
from fdac.flags.services import raise_flag
from tests import factories
from tests.contacts.caseload_helpers import TODAY, add_contacts

ENTERED = date(2026, 11, 2)
# Complete weeks before TODAY's: 22-28 February and 1-7 March.
MET_BEFORE = [date(2027, 2, d) for d in (9, 11, 16, 18)]


def _case(team, *names, **fields):
    fields.setdefault("entered_on", ENTERED)
    case = factories.make_case(team, **fields)
    return case, [factories.add_parent(case, name) for name in names]


def _open_flags() -> list[tuple]:
    return list(
        db.session.execute(
            select(Flag.kind, Flag.case_id, Flag.subject, Flag.message)
            .where(Flag.resolved_at.is_(None))
            .order_by(Flag.case_id, Flag.kind, Flag.subject)
        )
    )


def _all_flags() -> list[tuple]:
    return list(
        db.session.execute(
            select(Flag.kind, Flag.case_id, Flag.subject, Flag.resolved_at.is_(None)).order_by(
                Flag.id
            )
        )
    )


def _behind(parent):
    """One attended contact in each of the last two complete weeks, the latest 5 days ago."""
    add_contacts(parent, *MET_BEFORE, date(2027, 2, 24), date(2027, 3, 5))


def _seen_well(parent):
    add_contacts(parent, *MET_BEFORE, date(2027, 2, 23), date(2027, 2, 25))
    add_contacts(parent, date(2027, 3, 2), date(2027, 3, 4), date(2027, 3, 9))


def test_a_parent_below_target_two_weeks_running_is_flagged_by_name(team):
    case, (kelly, dean) = _case(team, "Kelly Ashworth", "Dean Ashworth")
    _behind(kelly)
    _seen_well(dean)

    result = jobs.raise_contact_flags(TODAY)

    assert (result.done, result.changed, result.failed) == (1, 1, [])
    assert _open_flags() == [
        (
            "contacts_below_target",
            case.id,
            f"parent:{kelly.id}",
            "Kelly Ashworth: 1 attended contact against a target of 2, two weeks running",
        )
    ]


def test_a_missed_contact_counts_against_the_parent_but_one_the_team_cancelled_does_not(team):
    case, (kelly, amy) = _case(team, "Kelly Ashworth", "Amy Begum")
    add_contacts(kelly, *MET_BEFORE, date(2027, 2, 23), date(2027, 3, 2), date(2027, 3, 9))
    add_contacts(kelly, date(2027, 2, 25), date(2027, 3, 4), outcome="did_not_attend")
    _seen_well(amy)
    add_contacts(amy, date(2027, 3, 5), outcome="cancelled_by_team")

    jobs.raise_contact_flags(TODAY)

    assert [(kind, subject) for kind, _, subject, _ in _open_flags()] == [
        ("contacts_below_target", f"parent:{kelly.id}")
    ]


def test_a_parent_unseen_for_7_days_is_flagged_with_the_last_contact(team):
    case, (kelly, dean) = _case(team, "Kelly Ashworth", "Dean Ashworth")
    # 22-28 February met; 1 March the only contact since: one week short, not two.
    add_contacts(kelly, *MET_BEFORE, date(2027, 2, 23), date(2027, 2, 25), date(2027, 3, 1))

    jobs.raise_contact_flags(TODAY)

    assert _open_flags() == [
        (
            "contacts_below_target",
            case.id,
            f"parent:{dean.id}",
            "Dean Ashworth: 0 attended contacts against a target of 2, 11 weeks running",
        ),
        (
            "no_recent_contact",
            case.id,
            f"parent:{kelly.id}",
            "Kelly Ashworth: no attended contact since 1 March 2027",
        ),
        (
            "no_recent_contact",
            case.id,
            f"parent:{dean.id}",
            "Dean Ashworth: no attended contact recorded yet",
        ),
    ]


def test_the_message_says_how_many_weeks_running(team):
    case, (kelly,) = _case(team, "Kelly Ashworth")
    add_contacts(kelly, *MET_BEFORE[:2], date(2027, 2, 17), date(2027, 2, 24), date(2027, 3, 5))

    jobs.raise_contact_flags(TODAY)

    assert _open_flags()[0][3] == (
        "Kelly Ashworth: 1 attended contact against a target of 2, three weeks running"
    )


def test_no_flag_where_no_contact_is_owed_or_the_case_is_closed(team):
    _, (new,) = _case(team, "Jade Clarke", entered_on=TODAY - timedelta(days=3))
    _, (referred,) = _case(team, "Amy Begum", phase=Phase.REFERRAL)
    _, (closed,) = _case(team, "Gemma Davies", phase=Phase.CLOSED)

    result = jobs.raise_contact_flags(TODAY)

    assert result.failed == []
    assert _open_flags() == []


def test_flags_clear_when_contact_recovers_and_come_back_when_it_slips(team):
    case, (kelly,) = _case(team, "Kelly Ashworth")
    _behind(kelly)
    jobs.raise_contact_flags(TODAY)
    assert len(_open_flags()) == 1

    # The next week: three attended contacts, so last week met the target.
    next_week = TODAY + timedelta(weeks=1)
    add_contacts(kelly, date(2027, 3, 9), date(2027, 3, 11), date(2027, 3, 16))
    result = jobs.raise_contact_flags(next_week)

    assert result.changed == 1
    assert _open_flags() == []
    # Two weeks later, unseen since 16 March: the same flag row comes back, not a second one.
    later = date(2027, 3, 31)
    jobs.raise_contact_flags(later)
    assert [(kind, open_) for kind, _, _, open_ in _all_flags()] == [
        ("contacts_below_target", True),
        ("no_recent_contact", True),
    ]


def test_a_case_closed_since_has_its_flags_cleared(team):
    case, (kelly,) = _case(team, "Kelly Ashworth")
    jobs.raise_contact_flags(TODAY)
    assert len(_open_flags()) == 2
    case.phase = Phase.CLOSED
    db.session.commit()

    result = jobs.raise_contact_flags(TODAY)

    assert result.changed == 2
    assert _open_flags() == []


def test_the_job_leaves_other_kinds_of_flag_and_other_teams_alone(team):
    case, (kelly,) = _case(team, "Kelly Ashworth")
    raise_flag(case, "no_nlr_soon", "", "No review is booked in the next 14 days")
    other_case, (amy,) = _case(factories.make_team(), "Amy Begum")
    db.session.commit()

    jobs.raise_contact_flags(TODAY)

    kinds = {(kind, case_id) for kind, case_id, _, _ in _open_flags()}
    assert kinds == {
        ("no_nlr_soon", case.id),
        ("contacts_below_target", case.id),
        ("no_recent_contact", case.id),
        ("contacts_below_target", other_case.id),
        ("no_recent_contact", other_case.id),
    }
    assert {f.team_id for f in db.session.scalars(select(Flag).where(Flag.case_id == case.id))} == {
        team.id
    }


def test_the_hearing_flag_job_leaves_contact_flags_alone(team):
    from hearings import jobs as hearing_jobs

    _, (kelly,) = _case(team, "Kelly Ashworth")
    jobs.raise_contact_flags(TODAY)

    hearing_jobs.raise_flags(TODAY)

    kinds = {kind for kind, *_ in _open_flags()}
    assert {"contacts_below_target", "no_recent_contact"} <= kinds


# Twice, and two at once


def test_running_twice_changes_nothing_the_second_time(team):
    for n in range(3):
        _, (parent,) = _case(team, f"Parent {n}")
        _behind(parent)
    first = jobs.raise_contact_flags(TODAY)
    before = _all_flags()

    second = jobs.raise_contact_flags(TODAY)

    assert (first.changed, second.changed) == (3, 0)
    assert _all_flags() == before


def test_two_runs_at_once_raise_each_flag_once(app, team):
    for n in range(4):
        _case(team, f"Parent {n}", f"Partner {n}")
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        with app.app_context():
            try:
                barrier.wait(timeout=10)
                results.append(jobs.raise_contact_flags(TODAY))
            except Exception as error:  # noqa: BLE001 (reported below)
                errors.append(error)
            finally:
                db.session.remove()

    db.session.commit()
    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert [r.failed for r in results] == [[], []]
    flags = _all_flags()
    assert len(flags) == len(set(flags)) == 4 * 2 * 2  # two kinds for each of 8 parents
    assert sum(r.changed for r in results) == 16  # written once, by whichever run won
    assert jobs.raise_contact_flags(TODAY).changed == 0


def test_the_job_reads_a_team_in_the_same_queries_however_many_cases(team):
    def queries() -> int:
        statements = []

        def record(*_args):
            statements.append(1)

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            jobs.team_wanted(team.id, TODAY)
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        return len(statements)

    _, (kelly,) = _case(team, "Kelly Ashworth")
    _behind(kelly)
    one = queries()
    for n in range(8):
        _, parents = _case(team, f"Parent {n}", f"Partner {n}")
        _behind(parents[0])

    assert queries() == one


# Where the manager sees them, and when the job runs


def test_the_managers_home_page_lists_contact_flags_under_their_labels(signed_in, team):
    case, (kelly,) = _case(team, "Kelly Ashworth", reference="FDAC-2026-0042")
    add_contacts(kelly, *MET_BEFORE, date(2027, 2, 23), date(2027, 2, 25), date(2027, 3, 1))
    jobs.raise_contact_flags(TODAY)

    page = signed_in("team_manager").get("home")

    captions = [c.get_text(strip=True) for c in page.select("caption")]
    assert "No attended contact for 7 days (1)" in captions
    table = page.select_one("#flags-no_recent_contact")
    row = " ".join(table.select_one("tr.app-flag").get_text(" ", strip=True).split())
    assert row == "FDAC-2026-0042 Kelly Ashworth: no attended contact since 1 March 2027"
    assert table.select("form") == []  # computed: it clears itself, nobody marks it dealt with


def test_the_contact_job_runs_each_morning_after_the_hearing_flags(app, monkeypatch):
    from fdac.jobs import JOBS, build_scheduler

    seen = []
    monkeypatch.setattr("fdac.jobs.london_today", lambda: TODAY)
    monkeypatch.setattr(jobs, "raise_contact_flags", lambda today: seen.append(today))
    job = next(job for job in JOBS if job.id == "raise-contact-flags")

    job.run()

    assert seen == [TODAY]
    triggers = {j.id: str(j.trigger) for j in build_scheduler(app).get_jobs()}
    assert triggers["raise-contact-flags"] == "cron[hour='6', minute='15']"
