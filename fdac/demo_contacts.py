"""The demo team's contacts with parents, its contact and graduation settings, and a graduated
family: dated relative to `today`, deterministic for a seed.

Contacts follow each family's journey (shared/DOMAIN.md): a first visit in the referral week,
one a week in the assessment and the final stage, two or three a week in the trial for change,
on the days the parent was tested (the screens are then linked to the contact). Most are
attended; some are missed or cancelled by the parent, some cancelled by the team. The demo
promises, and tests/test_demo_contacts.py checks:
- one active family below its target for the last two complete weeks (a contacts flag);
- one parent with no attended contact in the last 8 days (the other contacts flag);
- every other active family on target lately, so the flags above are the morning's only ones;
- a case with its own target and reason, the team's graduation criteria saved;
- a reunified family's parent graduated, at a ceremony, now a parent mentor with support
  contacts recorded after the close.

Planning is pure (`plan_contacts`); the rows are stored with bulk inserts and their audit rows
(fdac.audit.bulk), so the whole demo loads in a few seconds.
"""

import random
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from sqlalchemy import insert, select, update

from fdac.audit import chain, recorder
from fdac.audit.bulk import audit_inserts, insert_rows
from fdac.auth.models import User
from fdac.auth.roles import Role
from fdac.cases.models import Case, Parent
from fdac.cases.phases import Outcome, Phase
from fdac.contacts.compliance import week_start
from fdac.contacts.kinds import ContactKind, ContactOutcome
from fdac.contacts.loading import phase_histories
from fdac.contacts.models import CaseContactTarget, Contact, contact_practitioners
from fdac.contacts.targets import phase_on, targets_for, weekly_target
from fdac.dates import LONDON, utc_now
from fdac.extensions import db
from fdac.graduations.models import (
    Ceremony,
    Graduation,
    GraduationCriteria,
    SupportContact,
    SupportKind,
)
from fdac.teams.models import Team
from testing_results.interpret import Status
from testing_results.models import Method, TestResult

K = ContactKind
Out = ContactOutcome


class Story(StrEnum):
    """What a parent's contacts show in the demo."""

    USUAL = "usual"  # on target lately
    BELOW_TARGET = "below_target"  # below target the last two complete weeks
    NO_RECENT = "no_recent"  # no attended contact in the last 8 days
    OWN_TARGET = "own_target"  # in residential rehab: one contact a week agreed
    CLOSED = "closed"  # contacts until the case closed, as they happened


OWN_TARGET_REASON = "Parent in residential rehab: 1 contact a week agreed"
NO_RECENT_DAYS = 8
# How a visit the parent did not turn up for is recorded, as often as each comes up.
MISSES = [ContactOutcome.DID_NOT_ATTEND, ContactOutcome.DID_NOT_ATTEND]
MISSES += [ContactOutcome.CANCELLED_BY_PARENT]

# In person (a screen can be taken), with how often each kind comes up.
IN_PERSON = [(K.HOME_VISIT, 45), (K.OFFICE, 30), (K.JOINT_VISIT, 10), (K.UNANNOUNCED_VISIT, 8)]
IN_PERSON += [(K.GROUP_SESSION, 7)]
ANY_KIND = [*IN_PERSON, (K.PHONE, 18), (K.VIDEO, 8)]

# (earliest start, latest start, shortest, longest) for each kind, in London wall-clock time.
TIMES = {
    K.HOME_VISIT: (time(9, 30), time(15, 30), 45, 90),
    K.OFFICE: (time(9, 30), time(16, 0), 30, 60),
    K.PHONE: (time(9, 0), time(17, 0), 10, 30),
    K.VIDEO: (time(10, 0), time(16, 0), 20, 45),
    K.GROUP_SESSION: (time(10, 0), time(13, 30), 90, 120),
    K.JOINT_VISIT: (time(10, 0), time(14, 0), 60, 90),
    K.UNANNOUNCED_VISIT: (time(8, 0), time(18, 0), 20, 45),
}

ATTENDED_NOTES = {
    K.HOME_VISIT: [
        "Home visit. Flat clean and tidy; talked through the week and the relapse plan.",
        "Home visit. Went through budgeting and the rent arrears; food in the cupboards.",
        "Home visit. The children's bedroom is ready now; parent proud of the progress.",
        "Home visit. Talked about the next review and the goals the judge set.",
    ],
    K.OFFICE: [
        "Office appointment. Went through the goals set at the last review.",
        "Office appointment. Reviewed the cravings diary together.",
        "Office appointment. Planned the week around the parenting course.",
    ],
    K.PHONE: [
        "Phone call to plan the week's appointments.",
        "Phone call: the GP appointment for the mental health referral is booked.",
        "Rang to check in after a difficult weekend; agreed to meet on Thursday.",
    ],
    K.VIDEO: [
        "Video call: checked in after the weekend; no concerns raised.",
        "Video call to go through the letter from the housing officer.",
    ],
    K.GROUP_SESSION: [
        "Attended the recovery group and joined in well.",
        "Parenting group: took part in the session on routines and bedtimes.",
    ],
    K.JOINT_VISIT: [
        "Joint visit with the social worker to go through the contact arrangements.",
        "Joint visit: reviewed the safety plan together.",
    ],
    K.UNANNOUNCED_VISIT: [
        "Unannounced visit. Parent at home and sober; home in good order.",
        "Unannounced visit. Parent in, with a friend from the recovery group; no concerns.",
    ],
}
FIRST_VISIT_NOTE = "First home visit: explained how FDAC works and what the team will ask."
TESTED_NOTE = "Screens taken at the visit."
MISSED_NOTES = {
    Out.DID_NOT_ATTEND: [
        "No answer at the door; left a card and sent a text.",
        "Did not attend the appointment and is not answering the phone.",
        "Not at home at the agreed time; rang later to apologise.",
    ],
    Out.CANCELLED_BY_PARENT: [
        "Parent cancelled on the morning: said they were unwell.",
        "Parent texted to cancel because of a housing appointment.",
        "Cancelled by the parent; rearranged for later in the week.",
    ],
    Out.CANCELLED_BY_TEAM: [
        "Keyworker off sick; the parent was told and the visit rearranged.",
        "Cancelled by the team: the keyworker was needed in court.",
        "Cancelled by the team because of a training day; parent told the day before.",
    ],
}


@dataclass(frozen=True)
class Family:
    """What planning one parent's contacts needs to know (plain values: no database)."""

    history: tuple[tuple[date, Phase], ...]  # (date, phase moved to), the entry first
    closed_on: date | None
    tested: Mapping[date, bool]  # the days the parent had a screen: True if they turned up
    target: Callable[[date], int]  # the weekly target, by the week's Monday
    role: Story
    keyworker_id: int
    colleagues: tuple[int, ...]  # other practitioners, for joint visits


@dataclass
class Planned:
    day: date
    kind: ContactKind
    outcome: ContactOutcome
    starts: time
    minutes: int
    note: str
    practitioner_ids: tuple[int, ...]
    tested: bool = False


@dataclass
class _Week:
    monday: date
    contacts: list[Planned] = field(default_factory=list)

    def free_weekdays(self, first: date, last: date) -> list[date]:
        taken = {c.day for c in self.contacts}
        days = (self.monday + timedelta(days=n) for n in range(5))
        return [d for d in days if first <= d <= last and d not in taken]


def _pick(rng: random.Random, weighted) -> ContactKind:
    kinds, weights = zip(*weighted, strict=True)
    return rng.choices(kinds, weights=weights)[0]


def _contact(
    rng: random.Random,
    family: Family,
    day: date,
    outcome: ContactOutcome,
    *,
    in_person: bool,
    tested: bool = False,
    kind: ContactKind | None = None,
) -> Planned:
    # A missed or cancelled contact was a visit or an appointment (the notes say so).
    in_person = in_person or tested or not outcome.attended
    kind = kind or _pick(rng, IN_PERSON if in_person else ANY_KIND)
    earliest, latest, shortest, longest = TIMES[kind]
    quarters = (latest.hour * 60 + latest.minute - earliest.hour * 60 - earliest.minute) // 15
    start = earliest.hour * 60 + earliest.minute + 15 * rng.randint(0, quarters)
    if outcome.attended:
        minutes = 5 * rng.randint(shortest // 5, longest // 5)
        text = rng.choice(ATTENDED_NOTES[kind])
        if tested:
            text = f"{text} {TESTED_NOTE}"
    elif outcome is Out.DID_NOT_ATTEND:
        minutes = rng.choice([10, 15, 20, 30])  # the time spent waiting
        text = rng.choice(MISSED_NOTES[outcome])
    else:
        minutes = 5 * rng.randint(shortest // 5, longest // 5)  # as planned
        text = rng.choice(MISSED_NOTES[outcome])
    who = [family.keyworker_id]
    if (kind is K.JOINT_VISIT or rng.random() < 0.04) and family.colleagues:
        who.append(rng.choice(family.colleagues))
    return Planned(
        day=day,
        kind=kind,
        outcome=outcome,
        starts=time(start // 60, start % 60),
        minutes=minutes,
        note=text,
        practitioner_ids=tuple(who),
        tested=tested and outcome.attended,
    )


def _planned_days(rng: random.Random, family: Family, phase: Phase, weekdays: list[date]):
    """The days contacts were arranged in one week: the screening days in the trial (2 or 3),
    one of them (sometimes two) in the assessment and the final stage."""
    tested = [d for d in weekdays if d in family.tested]
    if phase is Phase.TRIAL_FOR_CHANGE and family.role is not Story.OWN_TARGET:
        if tested:
            return tested
        return sorted(rng.sample(weekdays, min(len(weekdays), rng.choice([2, 3, 3]))))
    pool = tested or weekdays
    count = 2 if rng.random() < 0.2 else 1
    return sorted(rng.sample(pool, min(len(pool), count)))


def plan_contacts(rng: random.Random, family: Family, today: date) -> list[Planned]:
    """One parent's contacts from the day the family entered FDAC to yesterday (or the day
    before the case closed), in day order. Pure."""
    entered = family.history[0][0]
    last = (family.closed_on or today) - timedelta(days=1)
    weeks: list[_Week] = []
    monday = week_start(entered)
    while monday <= last:
        week = _Week(monday)
        weeks.append(week)
        phase = phase_on(max(monday, entered), family.history)
        weekdays = week.free_weekdays(entered, last)
        if phase is Phase.CLOSED or not weekdays:
            monday += timedelta(weeks=1)
            continue
        if phase is Phase.REFERRAL:
            if monday == week_start(entered):  # the first visit
                first = _contact(
                    rng, family, weekdays[0], Out.ATTENDED, in_person=True, kind=K.HOME_VISIT
                )
                first.note = FIRST_VISIT_NOTE
                week.contacts.append(first)
            monday += timedelta(weeks=1)
            continue
        for day in _planned_days(rng, family, phase, weekdays):
            turned_up = family.tested.get(day, rng.random() > 0.08)
            outcome = Out.ATTENDED if turned_up else rng.choice(MISSES)
            week.contacts.append(
                _contact(rng, family, day, outcome, in_person=False, tested=day in family.tested)
            )
        # Now and then a visit that did not happen: the team's doing, or the parent's.
        roll = rng.random()
        spare = week.free_weekdays(entered, last)
        if spare and roll < 0.22:
            outcome = (
                Out.CANCELLED_BY_TEAM
                if roll < 0.1
                else Out.CANCELLED_BY_PARENT
                if roll < 0.16
                else Out.DID_NOT_ATTEND
            )
            week.contacts.append(_contact(rng, family, rng.choice(spare), outcome, in_person=True))
        monday += timedelta(weeks=1)

    if family.closed_on is None:
        _shape_recent_weeks(rng, family, weeks, entered, today)
    contacts = [c for week in weeks for c in week.contacts]
    return sorted(contacts, key=lambda c: (c.day, c.starts))


def _shape_recent_weeks(
    rng: random.Random, family: Family, weeks: list[_Week], entered: date, today: date
) -> None:
    """Make the last two complete weeks and the last few days tell the story the demo
    promises for this parent (see the module docstring)."""
    this_monday = week_start(today)
    recent = [w for w in weeks if this_monday - timedelta(weeks=2) <= w.monday < this_monday]
    yesterday = today - timedelta(days=1)

    if family.role is Story.BELOW_TARGET:
        for week in [*recent, *(w for w in weeks if w.monday == this_monday)]:
            week.contacts.clear()
            days = week.free_weekdays(entered, yesterday)
            if week.monday == this_monday:
                if days:  # seen this week, so the only flag is the one for the target
                    week.contacts.append(
                        _contact(rng, family, days[0], Out.ATTENDED, in_person=True)
                    )
                continue
            short = max(0, family.target(week.monday) - 1)
            # Seen late in the week (so "no contact for 7 days" does not also show) ...
            for day in days[::-1][:short]:
                tested = day in family.tested
                week.contacts.append(
                    _contact(rng, family, day, Out.ATTENDED, in_person=True, tested=tested)
                )
            # ... and the other visits missed or called off by the parent.
            for day, outcome in zip(
                days[: len(days) - short][:2],
                [Out.DID_NOT_ATTEND, Out.CANCELLED_BY_PARENT],
                strict=False,
            ):
                week.contacts.append(_contact(rng, family, day, outcome, in_person=True))
        return

    quiet_from = today - timedelta(days=NO_RECENT_DAYS)
    cutoff = quiet_from if family.role is Story.NO_RECENT else today
    for week in recent:  # on target, as far as the days allow
        missing = family.target(week.monday) - sum(
            1 for c in week.contacts if c.outcome.attended and c.day < cutoff
        )
        for day in week.free_weekdays(entered, cutoff - timedelta(days=1))[: max(0, missing)]:
            week.contacts.append(_contact(rng, family, day, Out.ATTENDED, in_person=True))

    if family.role is Story.NO_RECENT:  # every visit of the last 8 days missed
        for week in weeks:
            week.contacts = [
                _contact(rng, family, c.day, rng.choice(MISSES), in_person=True)
                if c.day >= quiet_from and c.outcome.attended
                else c
                for c in week.contacts
            ]
        return

    # Seen in the last five days, so no one else shows as "no contact for 7 days": on a free
    # weekday, else the latest missed visit becomes one that happened.
    window = [today - timedelta(days=n) for n in range(1, 6)]
    window = [d for d in window if d.weekday() < 5 and d >= entered]
    contacts = {c.day: c for week in weeks for c in week.contacts}
    if not window or any(contacts[d].outcome.attended for d in window if d in contacts):
        return
    free = [d for d in window if d not in contacts]
    day = free[0] if free else window[0]
    week = next(w for w in weeks if w.monday == week_start(day))
    week.contacts = [c for c in week.contacts if c.day != day]
    week.contacts.append(
        _contact(rng, family, day, Out.ATTENDED, in_person=True, tested=day in family.tested)
    )


# Storing


def _instant(day: date, wall_clock: time) -> datetime:
    return datetime.combine(day, wall_clock, tzinfo=LONDON).astimezone(UTC)


def _tested_days(case_ids: list[int]) -> tuple[dict[int, dict[date, bool]], dict]:
    """Per parent: the days they had a point-of-care screen (True if they turned up), and the
    screens' ids per (parent, day)."""
    tested: dict[int, dict[date, bool]] = defaultdict(dict)
    results: dict[tuple[int, date], list[int]] = defaultdict(list)
    for result_id, parent_id, day, status in db.session.execute(
        select(TestResult.id, TestResult.parent_id, TestResult.collected_on, TestResult.status)
        .where(TestResult.case_id.in_(case_ids), TestResult.method == Method.POINT_OF_CARE)
        .order_by(TestResult.id)
    ):
        turned_up = status is not Status.MISSED
        tested[parent_id][day] = tested[parent_id].get(day, False) or turned_up
        results[(parent_id, day)].append(result_id)
    return tested, results


def _roles(cases: list[Case], today: date) -> dict[int, Story]:
    """Which family shows what. In the trial for change throughout the last two complete
    weeks: the one that entered FDAC last is below target, the one that entered first has a
    parent not seen lately, the next has its own target."""
    this_monday = week_start(today)
    trial = [
        case
        for case in cases
        if case.phase is Phase.TRIAL_FOR_CHANGE
        and any(
            change.to_phase is Phase.TRIAL_FOR_CHANGE
            and change.changed_on <= this_monday - timedelta(weeks=2)
            for change in case.phase_changes
        )
    ]
    trial.sort(key=lambda case: (case.entered_on, case.id))
    roles = {case.id: Story.CLOSED for case in cases if case.phase is Phase.CLOSED}
    chosen = [Story.NO_RECENT, Story.OWN_TARGET]
    for case, role in zip(trial, chosen, strict=False):
        roles[case.id] = role
    if len(trial) > len(chosen):
        roles[trial[-1].id] = Story.BELOW_TARGET
    return roles


def add_contacts_and_graduations(team: Team, today: date, seed: int) -> None:
    """Contacts for every family past referral, the team's settings, and a graduated family."""
    manager = db.session.scalar(
        select(User).where(User.team_id == team.id, User.role == Role.TEAM_MANAGER)
    )
    practitioners = list(
        db.session.scalars(
            select(User.id)
            .where(User.team_id == team.id, User.role == Role.PRACTITIONER)
            .order_by(User.id)
        )
    )
    cases = list(
        db.session.scalars(
            select(Case)
            .where(Case.team_id == team.id, Case.phase != Phase.REFERRAL)
            .order_by(Case.id)
        )
    )
    if not cases or manager is None:
        return
    roles = _roles(cases, today)
    own = next((c for c in cases if roles.get(c.id) is Story.OWN_TARGET), None)
    if own is not None:
        db.session.add(
            CaseContactTarget(
                case_id=own.id,
                phase=Phase.TRIAL_FOR_CHANGE,
                per_week=1,
                reason=OWN_TARGET_REASON,
                set_by_id=manager.id,
            )
        )
    db.session.add(GraduationCriteria(team_id=team.id, set_by_id=manager.id))
    db.session.flush()

    case_ids = [case.id for case in cases]
    histories = phase_histories(case_ids)
    tested, screens = _tested_days(case_ids)
    planned: list[tuple[Case, Parent, Planned]] = []
    for case in cases:
        closed_on = None
        if case.phase is Phase.CLOSED:
            closed_on = next((d for d, p in histories[case.id] if p is Phase.CLOSED), None)
        own_targets = {Phase.TRIAL_FOR_CHANGE: 1} if case is own else {}
        target = weekly_target(histories[case.id], targets_for({}, own_targets))
        keyworker = case.keyworker_id or practitioners[0]
        for n, parent in enumerate(case.parents):
            role = roles.get(case.id, Story.USUAL)
            if role is Story.NO_RECENT and n > 0:
                role = Story.USUAL  # the mother is not seen lately; the father is
            family = Family(
                history=tuple(histories[case.id]),
                closed_on=closed_on,
                tested=tested.get(parent.id, {}),
                target=target,
                role=role,
                keyworker_id=keyworker,
                colleagues=tuple(p for p in practitioners if p != keyworker),
            )
            rng = random.Random(f"{seed}:contacts:{case.reference}:{n}")
            planned += [(case, parent, p) for p in plan_contacts(rng, family, today)]

    contact_ids = _store_contacts(planned, case_ids, today)
    _link_screens(planned, contact_ids, screens)
    _graduate(cases, today, manager)


def _store_contacts(planned, case_ids: list[int], today: date) -> list[int]:
    now = utc_now()
    rows = []
    for case, parent, contact in planned:
        at = _instant(contact.day, contact.starts)
        rows.append(
            {
                "case_id": case.id,
                "parent_id": parent.id,
                "at": at,
                "kind": contact.kind,
                "outcome": contact.outcome,
                "minutes": contact.minutes,
                "note": contact.note,
                "recorded_by_id": contact.practitioner_ids[0],
                # Written up the same afternoon.
                "created_at": min(at + timedelta(minutes=contact.minutes + 90), now),
            }
        )
    ids = insert_rows(Contact, rows, ("parent_id", "at"), Contact.case_id.in_(case_ids))
    links = [
        {"contact_id": contact_id, "user_id": user_id}
        for contact_id, (_, _, contact) in zip(ids, planned, strict=True)
        for user_id in contact.practitioner_ids
    ]
    if links:
        db.session.execute(insert(contact_practitioners), links)
    details = [{"practitioners": list(contact.practitioner_ids)} for _, _, contact in planned]
    audit_inserts(Contact, rows, ids, [row["case_id"] for row in rows], now, details)
    return ids


def _link_screens(planned, contact_ids: list[int], screens) -> None:
    """Each screen taken on a day the parent attended a contact links to that contact: one
    UPDATE for them all, with an audit row each (the ORM hook does not see a bulk update)."""
    changes = []
    for contact_id, (case, parent, contact) in zip(contact_ids, planned, strict=True):
        if contact.outcome.attended:
            for result_id in screens.get((parent.id, contact.day), ()):
                changes.append((result_id, contact_id, case.id))
    if not changes:
        return
    db.session.execute(
        update(TestResult), [{"id": rid, "contact_id": cid} for rid, cid, _ in changes]
    )
    actor_id, actor_label = recorder.current_actor()
    now = utc_now()
    chain.append(
        db.session.connection(),
        [
            {
                "at": now,
                "actor_id": actor_id,
                "actor_label": actor_label,
                "action": "update",
                "table_name": TestResult.__tablename__,
                "record_id": str(rid),
                "case_id": case_id,
                "changes": {"contact_id": [None, cid]},
            }
            for rid, cid, case_id in changes
        ],
    )


def _graduate(cases: list[Case], today: date, manager: User) -> None:
    """The reunified family that closed longest ago: its mother graduated at a ceremony, has
    had support since and now mentors parents in FDAC."""
    closed = [c for c in cases if c.phase is Phase.CLOSED and c.outcome is Outcome.REUNIFIED]
    if not closed:
        return
    case = min(closed, key=lambda c: (c.entered_on, c.id))
    closed_on = max(
        (ch.changed_on for ch in case.phase_changes if ch.to_phase is Phase.CLOSED),
        default=today - timedelta(days=28),
    )
    room = max(4, (today - closed_on).days)

    def after_close(share: float) -> date:
        """A day `share` of the way from the close to yesterday."""
        return min(closed_on + timedelta(days=max(1, round(room * share))), today - timedelta(1))

    judge = db.session.get(User, case.judge_id) if case.judge_id else None
    ceremony = Ceremony(
        team_id=case.team_id,
        day=after_close(0.25),
        starts_at=time(14, 0),
        place="Riverside Family Court, Court 3",
        attending=", ".join(
            filter(None, [judge.name if judge else "", "the FDAC team", "families and friends"])
        ),
        created_by_id=manager.id,
    )
    db.session.add(ceremony)
    parent = case.parents[0]
    graduated_on = after_close(0.1)
    graduation = Graduation(
        case_id=case.id,
        parent_id=parent.id,
        graduated_on=graduated_on,
        note="Final order made: the children are home. Agreed at the team meeting.",
        confirmed_by_id=manager.id,
        confirmed_at=_instant(graduated_on, time(11, 0)),
        ceremony=ceremony,
        mentor_since=after_close(0.6),
        mentor_note="Trained as a parent mentor; supports mothers new to FDAC.",
    )
    db.session.add(graduation)
    db.session.flush()
    for share, kind, note in [
        (0.35, SupportKind.SUPPORT_CALL, "Rang to see how the first weeks at home are going."),
        (0.5, SupportKind.GRADUATES_GROUP, "Came to the graduates' group with the children."),
        (0.8, SupportKind.MENTORING, "Met a mother in her first week of FDAC for a coffee."),
    ]:
        db.session.add(
            SupportContact(
                graduation_id=graduation.id,
                case_id=case.id,
                day=after_close(share),
                kind=kind,
                note=note,
                recorded_by_id=case.keyworker_id,
            )
        )
    db.session.flush()
