"""No lost updates on the other editable records: a hearing's move, cancellation and outcome, a
court document's draft, the team's settings. A form opened before someone else's save is
refused with their change shown and what was typed kept (docs/decisions/0034)."""

import threading
from datetime import date

import pytest
from sqlalchemy import select, update

from fdac.audit.models import AuditEvent
from fdac.contacts.models import TeamContactTarget
from fdac.court_documents import services as documents
from fdac.court_documents.models import DocumentVersion
from fdac.extensions import db
from fdac.graduations.models import GraduationCriteria
from fdac.teams.models import Team
from fdac.versions import MESSAGE, StaleEdit
from hearings import booking
from hearings.kinds import HearingStatus
from hearings.models import Hearing, HearingOutcome
from tests import factories
from tests.concurrency.pages import (
    hidden_version,
    open_form,
    other_change_text,
    refused_as_stale,
    submit,
)
from tests.court_documents.helpers import REPORT_WORDS, draft_report, make_family

TODAY = date(2027, 3, 10)  # a Wednesday


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("hearings.views.london_today", lambda: TODAY)


def _date(day: date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


@pytest.fixture
def judge(team):
    return factories.make_user("judge", team=team, name="HHJ Marsh")


@pytest.fixture
def case(team, judge):
    case = factories.make_case(
        team, judge_id=judge.id, issued_on=date(2026, 11, 2), entered_on=date(2026, 11, 9)
    )
    factories.add_parent(case, "Kelly Ashworth")
    return case


@pytest.fixture
def review(case, team, judge):
    sitting = factories.make_sitting(team, judge)  # Mondays at 10am
    return factories.add_hearing(case, date(2027, 4, 5), sitting_id=sitting.id, slot=1)


def _move(judge, day: date, reason: str) -> dict:
    return {"day": _date(day), "starts_at": "", "judge_id": str(judge.id), "reason": reason}


# --- hearings ----------------------------------------------------------------------------------


def test_a_stale_move_of_a_hearing_is_refused_showing_the_other_move(
    signed_in, case, judge, review
):
    first = signed_in("team_manager", name="Asha Patel")
    second = signed_in("team_manager", name="Ben Okafor")
    values = {"reference": case.reference, "hearing_id": review.id}
    mine = open_form(first, "hearings.move", **values)
    theirs = open_form(second, "hearings.move", **values)
    assert mine["version"] == "1"
    moved = _move(judge, date(2027, 4, 12), "Father's operation")
    assert submit(second, "hearings.move", theirs, moved, **values)[0] == 302

    status, page = submit(
        first, "hearings.move", mine, _move(judge, date(2027, 4, 19), "Family asked"), **values
    )

    assert status == 200 and refused_as_stale(page)
    shown = other_change_text(page)
    assert "Ben Okafor" in shown and "5 April 2027 → 12 April 2027" in shown
    assert page.select_one("textarea[name=reason]").get_text() == "Family asked"
    db.session.expire_all()
    assert db.session.get(Hearing, review.id).day == date(2027, 4, 12)
    # Saving again, knowingly, applies the move over the other one.
    again = {**mine, "version": hidden_version(page)}
    moved = _move(judge, date(2027, 4, 19), "Family asked")
    assert submit(first, "hearings.move", again, moved, **values)[0] == 302
    db.session.expire_all()
    assert db.session.get(Hearing, review.id).day == date(2027, 4, 19)


def test_a_cancellation_opened_before_a_move_is_refused(signed_in, case, judge, review):
    first = signed_in("team_manager")
    second = signed_in("team_manager", name="Ben Okafor")
    values = {"reference": case.reference, "hearing_id": review.id}
    mine = open_form(first, "hearings.cancel", **values)
    theirs = open_form(second, "hearings.move", **values)
    moved = _move(judge, date(2027, 4, 12), "Father's operation")
    assert submit(second, "hearings.move", theirs, moved, **values)[0] == 302

    status, page = submit(first, "hearings.cancel", mine, {"reason": "Care plan changed"}, **values)

    assert status == 200 and refused_as_stale(page)
    assert "5 April 2027 → 12 April 2027" in other_change_text(page)
    db.session.expire_all()
    assert db.session.get(Hearing, review.id).status is HearingStatus.PLANNED


def test_an_outcome_form_opened_before_another_outcome_is_refused_showing_it(
    signed_in, case, judge
):
    held = factories.add_hearing(case, date(2027, 3, 8))
    kelly = case.parents[0]
    first = signed_in("practitioner", name="Cara Jones")
    second = signed_in("practitioner", name="Dev Shah")
    values = {"reference": case.reference, "hearing_id": held.id}
    mine = open_form(first, "hearings.outcome", **values)
    theirs = open_form(second, "hearings.outcome", **values)
    outcome = {f"attended_{kelly.id}": "yes", "others_present": "", "goals": "Test weekly"}
    assert (
        submit(second, "hearings.outcome", theirs, outcome | {"note": "Their note"}, **values)[0]
        == 302
    )

    status, page = submit(first, "hearings.outcome", mine, outcome | {"note": "My note"}, **values)

    assert status == 200 and refused_as_stale(page)
    shown = other_change_text(page)
    assert "Dev Shah" in shown and "Note of the hearing (empty) → Their note" in shown
    assert page.select_one("textarea[name=note]").get_text() == "My note"
    db.session.expire_all()
    saved = db.session.scalars(select(HearingOutcome)).all()
    assert [o.note for o in saved] == ["Their note"]
    # An amendment after it, based on the version shown, saves (with a reason).
    again = {**mine, "version": hidden_version(page)}
    amend = outcome | {"note": "My note", "amend_reason": "Missed the father's update"}
    assert submit(first, "hearings.outcome", again, amend, **values)[0] == 302
    db.session.expire_all()
    assert db.session.get(Hearing, held.id).outcome.note == "My note"


def test_a_hearing_move_racing_past_the_form_check_is_refused_by_the_database(
    app, case, judge, review
):
    loaded = db.session.get(Hearing, review.id)
    db.session.expunge(loaded)  # keeps what it read: version 1
    db.session.rollback()
    with db.engine.begin() as other:  # someone else's move, on its own connection
        other.execute(
            update(Hearing).where(Hearing.id == review.id).values(day=date(2027, 4, 12), version=2)
        )
    manager = factories.make_user("team_manager", team=case.team)

    with app.test_request_context(method="POST"), pytest.raises(StaleEdit) as refused:
        db.session.add(loaded)
        when = booking.When(date(2027, 4, 19), None, judge.id)
        booking.move(loaded, when, "Family asked", by=manager, based_on=1)

    assert str(refused.value) == MESSAGE and refused.value.current_version == 2
    db.session.expire_all()
    assert db.session.get(Hearing, review.id).day == date(2027, 4, 12)


# --- court document drafts ---------------------------------------------------------------------


def _report_form(family, **words) -> dict:
    start = family.held.day.replace(day=family.held.day.day)
    return {
        "period_from": _date(start),
        "period_to": _date(family.today),
        **REPORT_WORDS,
        **words,
    }


def test_a_stale_draft_is_refused_showing_the_other_words_and_keeping_mine(signed_in, team):
    family = make_family(team)
    author = factories.make_user("practitioner", team=team, name="Sam Keyworker")
    document = draft_report(family, author)
    first = signed_in(author)
    second = signed_in("team_manager", name="Ben Okafor")
    values = {"reference": family.case.reference, "document_id": document.id}
    mine = open_form(first, "court_documents.edit", **values)
    theirs = open_form(second, "court_documents.edit", **values)
    assert mine["version"] == "1"
    theirs_words = _report_form(family, going_well="Their words")
    assert submit(second, "court_documents.edit", theirs, theirs_words, **values)[0] == 302

    status, page = submit(
        first, "court_documents.edit", mine, _report_form(family, going_well="My words"), **values
    )

    assert status == 200 and refused_as_stale(page)
    shown = other_change_text(page)
    assert "Ben Okafor" in shown and "→ Their words" in shown
    assert "Updated at" not in shown
    assert page.select_one("textarea[name=going_well]").get_text() == "My words"
    db.session.expire_all()
    assert db.session.get(DocumentVersion, document.latest.id).going_well == "Their words"


def test_parallel_draft_saves_racing_past_the_form_check_keep_exactly_one(app, team):
    """Each save read version 1 and passed the form check before any committed: the database
    lets exactly one through; the others get StaleEdit and leave nothing in the trail."""
    family = make_family(team)
    author = factories.make_user("practitioner", team=team)
    document = draft_report(family, author)
    version_id, author_id = document.latest.id, author.id
    period = (document.latest.period_from, document.latest.period_to)
    editors = 4
    barrier = threading.Barrier(editors)
    results: list = [None] * editors
    failures: list = []

    def save(i):
        try:
            with app.app_context():
                draft = db.session.get(DocumentVersion, version_id)
                by = db.session.get(type(author), author_id)
                based_on = draft.version
                _ = draft.document.kind, draft.document.hearing, draft.document.latest
                barrier.wait(timeout=30)
                try:
                    documents.save_draft(
                        draft,
                        REPORT_WORDS | {"going_well": f"Words {i}"},
                        period,
                        by=by,
                        based_on=based_on,
                    )
                except StaleEdit as error:
                    results[i] = ("refused", str(error))
                else:
                    results[i] = ("accepted", f"Words {i}")
                finally:
                    db.session.remove()
        except BaseException as error:  # noqa: BLE001 (handed to the test's thread)
            failures.append(error)

    threads = [threading.Thread(target=save, args=(i,)) for i in range(editors)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert failures == []
    accepted = [value for outcome, value in results if outcome == "accepted"]
    assert len(accepted) == 1
    assert all(r == ("refused", MESSAGE) for r in results if r[0] == "refused")
    db.session.rollback()
    saved = db.session.get(DocumentVersion, version_id)
    assert (saved.going_well, saved.version) == (accepted[0], 2)
    updates = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.table_name == "court_document_versions", AuditEvent.action == "update"
        )
    ).all()
    assert len(updates) == 1


# --- team settings -----------------------------------------------------------------------------


def test_a_stale_contact_targets_form_is_refused_showing_the_other_target(signed_in, team):
    first = signed_in("team_manager", name="Asha Patel")
    second = signed_in("team_manager", name="Ben Okafor")
    mine = open_form(first, "team.targets")
    theirs = open_form(second, "team.targets")
    typed = {"referral": "0", "assessment": "1", "trial_for_change": "2", "final_stage": "1"}
    assert submit(second, "team.targets", theirs, typed | {"trial_for_change": "4"})[0] == 302

    status, page = submit(first, "team.targets", mine, typed | {"trial_for_change": "5"})

    assert status == 200 and refused_as_stale(page)
    shown = other_change_text(page)
    assert "Ben Okafor" in shown and "Trial for change 2 → 4" in shown
    assert page.select_one("input[name=trial_for_change]")["value"] == "5"
    db.session.expire_all()
    assert db.session.scalar(select(TeamContactTarget.per_week)) == 4
    assert db.session.get(Team, team.id).version == 2


def test_a_stale_graduation_criteria_form_is_refused(signed_in, team):
    first = signed_in("team_manager")
    second = signed_in("team_manager", name="Ben Okafor")
    mine = open_form(first, "team.criteria")
    theirs = open_form(second, "team.criteria")
    both = ["final_order_with_family", "trial_completed"]
    assert (
        submit(second, "team.criteria", theirs, {"required": both, "clean_weeks": "12"})[0] == 302
    )

    status, page = submit(first, "team.criteria", mine, {"required": both, "clean_weeks": "6"})

    assert status == 200 and refused_as_stale(page)
    assert "→ 12" in other_change_text(page) and "Ben Okafor" in other_change_text(page)
    db.session.expire_all()
    assert db.session.scalar(select(GraduationCriteria.clean_weeks)) == 12


def test_an_amendment_opened_before_another_amendment_is_refused_showing_that_one(
    signed_in, case, judge
):
    held = factories.add_hearing(case, date(2027, 3, 8))
    kelly = case.parents[0]
    keyworker = signed_in("practitioner", name="Cara Jones")
    values = {"reference": case.reference, "hearing_id": held.id}
    outcome = {f"attended_{kelly.id}": "yes", "others_present": "", "goals": "Test weekly"}
    first_form = open_form(keyworker, "hearings.outcome", **values)
    assert (
        submit(keyworker, "hearings.outcome", first_form, outcome | {"note": "First"}, **values)[0]
        == 302
    )
    moved_on = signed_in("practitioner", name="Dev Shah")
    mine = open_form(keyworker, "hearings.outcome", **values)
    theirs = open_form(moved_on, "hearings.outcome", **values)
    assert mine["version"] == "2"
    amend = outcome | {"amend_reason": "Corrected"}
    assert (
        submit(moved_on, "hearings.outcome", theirs, amend | {"note": "Theirs"}, **values)[0] == 302
    )

    status, page = submit(keyworker, "hearings.outcome", mine, amend | {"note": "Mine"}, **values)

    assert status == 200 and refused_as_stale(page)
    shown = other_change_text(page)
    assert "Dev Shah" in shown and "Note of the hearing First → Theirs" in shown
    assert "Cara Jones" not in shown  # the first outcome was there when the form was opened
    db.session.expire_all()
    assert db.session.get(Hearing, held.id).outcome.note == "Theirs"
