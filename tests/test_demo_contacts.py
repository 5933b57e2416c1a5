"""The demo team's contacts, settings and graduates: what `flask fdac demo-data` promises."""

import random
from collections import Counter
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from fdac.audit.models import AuditEvent
from fdac.auth.roles import Role
from fdac.cases.models import Case
from fdac.cases.phases import Outcome, Phase
from fdac.contacts.compliance import week_start
from fdac.contacts.jobs import BELOW_TARGET, NO_RECENT_CONTACT
from fdac.contacts.kinds import MAX_MINUTES, MIN_MINUTES, ContactKind, ContactOutcome
from fdac.contacts.loading import compliance_for_cases
from fdac.contacts.models import CaseContactTarget, Contact
from fdac.contacts.targets import DEFAULT_TARGETS
from fdac.dates import LONDON, london_today, utc_now
from fdac.demo import DEMO_PASSWORD
from fdac.demo_contacts import OWN_TARGET_REASON, Family, Story, plan_contacts
from fdac.extensions import db
from fdac.flags.models import Flag
from fdac.graduations.criteria import DEFAULT_CRITERIA
from fdac.graduations.models import Graduation, GraduationCriteria
from testing_results.models import Method, TestResult
from tests.conftest import PageClient

ACTIVE = (Phase.ASSESSMENT, Phase.TRIAL_FOR_CHANGE, Phase.FINAL_STAGE)


def test_demo_data_gives_every_family_its_contacts_targets_and_a_graduate(app):
    result = app.test_cli_runner().invoke(args=["fdac", "demo-data"])
    assert result.exit_code == 0, result.output
    today = london_today()
    cases = list(db.session.scalars(select(Case).order_by(Case.id)))
    contacts = list(db.session.scalars(select(Contact)))

    _every_family_past_referral_has_contacts_from_entry_and_none_in_the_future(cases, contacts)
    _contacts_look_like_a_teams_record(contacts)
    _the_trial_sees_parents_two_or_three_times_a_week(cases, today)
    _one_family_below_target_and_one_parent_not_seen_lately(cases, today)
    _screens_taken_at_a_contact_are_linked_to_it()
    _the_team_has_its_settings_and_a_case_its_own_target(cases)
    _a_graduate_with_a_ceremony_mentoring_and_support_after_the_close(today)
    assert db.session.scalar(
        select(func.count(AuditEvent.id)).where(AuditEvent.table_name == "contacts")
    ) == len(contacts)
    _the_manager_sees_it_all_on_the_pages(app)


def _closed_on(case: Case) -> date | None:
    return next((c.changed_on for c in case.phase_changes if c.to_phase is Phase.CLOSED), None)


def _every_family_past_referral_has_contacts_from_entry_and_none_in_the_future(cases, contacts):
    now = utc_now()
    by_parent = Counter(c.parent_id for c in contacts)
    for case in cases:
        for parent in case.parents:
            if case.phase is Phase.REFERRAL:
                assert by_parent[parent.id] == 0, case.reference
            else:
                assert by_parent[parent.id] >= 2, (case.reference, parent.name)
    case_of = {case.id: case for case in cases}
    for contact in contacts:
        case = case_of[contact.case_id]
        assert contact.at <= now
        assert contact.day >= case.entered_on
        closed_on = _closed_on(case)
        if closed_on is not None:
            assert contact.day < closed_on, case.reference
        assert contact.parent_id in {p.id for p in case.parents}


def _contacts_look_like_a_teams_record(contacts):
    outcomes = Counter(c.outcome for c in contacts)
    assert set(outcomes) == set(ContactOutcome)
    assert outcomes[ContactOutcome.ATTENDED] > 0.75 * len(contacts)  # mostly attended
    assert len({c.kind for c in contacts}) == len(ContactKind)
    for contact in contacts:
        assert MIN_MINUTES <= contact.minutes <= MAX_MINUTES
        assert contact.note
        assert contact.case.keyworker in contact.practitioners
        if contact.kind is ContactKind.JOINT_VISIT:
            assert len(contact.practitioners) == 2
        assert time(8, 0) <= contact.at.astimezone(LONDON).time() <= time(18, 0)  # working day
    assert any(len(c.practitioners) == 2 for c in contacts)


def _the_trial_sees_parents_two_or_three_times_a_week(cases, today):
    own_target = set(db.session.scalars(select(CaseContactTarget.case_id)))
    for case in cases:
        if case.phase is not Phase.TRIAL_FOR_CHANGE or case.id in own_target:
            continue
        trial = next(c.changed_on for c in case.phase_changes if c.to_phase is case.phase)
        first, last = week_start(trial) + timedelta(weeks=1), week_start(today)
        weeks = (last - first).days // 7
        if weeks < 3:
            continue
        for parent in case.parents:
            held = db.session.scalar(
                select(func.count(Contact.id)).where(
                    Contact.parent_id == parent.id,
                    Contact.outcome != ContactOutcome.CANCELLED_BY_TEAM,
                    Contact.at >= _start_of(first),
                    Contact.at < _start_of(last),
                )
            )
            # Two or three arranged a week, and now and then one more the parent called off.
            assert 2 <= held / weeks <= 4, (case.reference, parent.name, held, weeks)


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=LONDON)


def _one_family_below_target_and_one_parent_not_seen_lately(cases, today):
    active = [case for case in cases if case.phase in ACTIVE]
    compliance = compliance_for_cases(active, today)
    below = {
        case_id
        for case_id, parents in compliance.items()
        if any(c.below_target_two_weeks for c in parents.values())
    }
    assert len(below) == 1
    [case_id] = below
    for parent_compliance in compliance[case_id].values():
        last_two = [week for week in parent_compliance.weeks if week.complete][-2:]
        assert all(week.attended < week.target for week in last_two)
        assert not parent_compliance.no_recent_contact  # seen lately: only below target

    quiet = [
        (case_id, parent_id, c)
        for case_id, parents in compliance.items()
        for parent_id, c in parents.items()
        if c.no_recent_contact
    ]
    assert len(quiet) == 1
    [(quiet_case, _, quiet_parent)] = quiet
    assert quiet_case != case_id
    assert quiet_parent.days_since_attended >= 8

    # The morning job raised exactly these (one flag per parent), so the manager sees them.
    raised = {
        (flag.kind, flag.case_id)
        for flag in db.session.scalars(
            select(Flag).where(Flag.kind.in_([BELOW_TARGET, NO_RECENT_CONTACT]))
        )
    }
    assert raised == {(BELOW_TARGET, case_id), (NO_RECENT_CONTACT, quiet_case)}


def _screens_taken_at_a_contact_are_linked_to_it():
    linked = list(db.session.scalars(select(TestResult).where(TestResult.contact_id.is_not(None))))
    assert len(linked) > 100
    contacts = {c.id: c for c in db.session.scalars(select(Contact))}
    for result in linked:
        contact = contacts[result.contact_id]
        assert result.method is Method.POINT_OF_CARE
        assert result.parent_id == contact.parent_id
        assert result.collected_on == contact.day
        assert contact.outcome is ContactOutcome.ATTENDED
    linked_ids = [str(r.id) for r in linked]
    audited = db.session.scalar(
        select(func.count(AuditEvent.id)).where(
            AuditEvent.table_name == "test_results",
            AuditEvent.action == "update",
            AuditEvent.record_id.in_(linked_ids),
        )
    )
    assert audited == len(linked)


def _the_team_has_its_settings_and_a_case_its_own_target(cases):
    [criteria] = db.session.scalars(select(GraduationCriteria))
    assert criteria.rule() == DEFAULT_CRITERIA
    [own] = db.session.scalars(select(CaseContactTarget))
    assert own.reason == OWN_TARGET_REASON
    assert own.per_week < DEFAULT_TARGETS[own.phase]
    assert db.session.get(Case, own.case_id).phase is own.phase


def _a_graduate_with_a_ceremony_mentoring_and_support_after_the_close(today):
    [graduation] = db.session.scalars(select(Graduation))
    case = graduation.case
    closed_on = _closed_on(case)
    assert case.phase is Phase.CLOSED and case.outcome is Outcome.REUNIFIED
    assert graduation.parent in case.parents
    assert graduation.confirmed_by.role is Role.TEAM_MANAGER
    assert closed_on < graduation.graduated_on <= today
    ceremony = graduation.ceremony
    assert ceremony is not None and closed_on < ceremony.day < today and ceremony.place
    assert graduation.is_mentor and graduation.mentor_since < today
    assert 2 <= len(graduation.support) <= 3
    assert all(closed_on < s.day < today and s.note for s in graduation.support)


# Planning on its own: the same seed gives the same contacts


def test_planning_is_deterministic_and_stops_before_today():
    today = date(2027, 3, 31)
    history = (
        (date(2026, 11, 2), Phase.REFERRAL),
        (date(2026, 11, 9), Phase.ASSESSMENT),
        (date(2026, 11, 30), Phase.TRIAL_FOR_CHANGE),
    )
    family = Family(
        history=history,
        closed_on=None,
        tested={date(2027, 3, 29): True, date(2027, 3, 30): False},
        target=lambda monday: 2,
        role=Story.USUAL,
        keyworker_id=1,
        colleagues=(2, 3),
    )
    first = plan_contacts(random.Random(1), family, today)
    again = plan_contacts(random.Random(1), family, today)
    assert first == again
    assert first[0].day >= date(2026, 11, 2)
    assert max(c.day for c in first) < today
    by_day = {c.day: c for c in first}
    assert by_day[date(2027, 3, 29)].outcome is ContactOutcome.ATTENDED
    assert by_day[date(2027, 3, 29)].tested
    assert by_day[date(2027, 3, 30)].outcome is not ContactOutcome.ATTENDED


def _the_manager_sees_it_all_on_the_pages(app):
    manager = PageClient(app.test_client())
    manager.sign_in("manager@demo.fdac.example", DEMO_PASSWORD)
    home = manager.get("home").get_text(" ", strip=True)
    flags = db.session.scalars(select(Flag).where(Flag.kind.in_([BELOW_TARGET, NO_RECENT_CONTACT])))
    for flag in flags:
        assert flag.message in home
        case = db.session.get(Case, flag.case_id)
        manager.get("cases.show", reference=case.reference)
        manager.get("contacts.index", reference=case.reference)
    [graduation] = db.session.scalars(select(Graduation))
    assert graduation.parent.name in manager.get("graduates.index").get_text(" ", strip=True)
    manager.get("graduations.index", reference=graduation.case.reference)
