"""Synthetic drug and alcohol testing for the demo families, as a real FDAC team records it.

Everything goes through testing_results.services (record, amend, save_prescription), so every
check the pages apply applies here too and the audit trail is written.

Per parent, by phase (shared/DOMAIN.md, "Testing"):
- referral: nothing; assessment: nothing, or a first PEth and hair strand test;
- from the start of the trial for change: a PEth and a hair strand test (3 x 1 cm segments,
  six drug groups at the lab's cut-offs, EtG for some), then point-of-care screens two or
  three times a week (breath, and an oral fluid or urine panel) until the case closed or
  today, a repeat PEth about every 4 weeks and, after about 3 months, a repeat hair test.

Each parent follows a course: improving (positives early, then negatives), relapsing
(improving, then a run of positives and missed tests) or steady (mostly negative).
`Feature`s that the demo promises to show somewhere (a methadone prescription, a dilute
urine, an overturned screen, an amended breath reading, a missed and a refused test) are
given to particular cases by demo.load.

Planning is pure (`plan_parent`): the same seed and `today` give the same history.
"""

import random
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from fdac.auth.models import User
from fdac.cases.models import Case, Parent
from fdac.cases.phases import Outcome, Phase
from testing_results import services
from testing_results.interpret import Reading, Sample, Segment, Status, hair_segment_period
from testing_results.interpret import SubstanceReading as Read
from testing_results.models import Method, Prescription
from testing_results.panels import MATRICES, Matrix, Substance, default_cutoff
from testing_results.services import Draft


class Feature(StrEnum):
    """Something the demo promises to show at least once; demo.load gives each to a case."""

    METHADONE = "methadone"  # the mother is on methadone: positives consistent with it
    CONFIRMATION = "confirmation"  # a lab confirmation overturns a positive oral fluid screen
    AMENDMENT = "amendment"  # a breath reading typed wrongly, then amended with a reason
    DILUTE = "dilute"  # a urine screen with creatinine 12 mg/dL
    MISSED = "missed"
    REFUSED = "refused"


class Course(StrEnum):
    IMPROVING = "improving"
    RELAPSING = "relapsing"
    STEADY = "steady"


# A nominal trial for change: 16 weeks (DOMAIN.md: weeks 4 to 20 after entry).
TRIAL_DAYS = 16 * 7

LAB = "Northgate Toxicology (demo)"
HAIR_LAB = "Meridian Hair Analysis (demo)"

# What the team's point-of-care devices test for.
ORAL_FLUID_PANEL = (
    Substance.COCAINE,
    Substance.CANNABIS,
    Substance.AMPHETAMINE,
    Substance.METHAMPHETAMINE,
    Substance.OPIATES,
    Substance.BENZODIAZEPINES,
)
URINE_PANEL = MATRICES[Matrix.URINE].substances  # the full urine panel
# The hair overview: six drug groups, at the lab's cut-offs (the panels defaults, and the
# lab's own for benzodiazepines, which has no default).
HAIR_DRUGS = (
    Substance.COCAINE,
    Substance.CANNABIS,
    Substance.AMPHETAMINE,
    Substance.METHAMPHETAMINE,
    Substance.OPIATES,
    Substance.BENZODIAZEPINES,
)
LAB_CUTOFFS = {
    (Matrix.HAIR, Substance.BENZODIAZEPINES): Decimal("0.05"),
    (Matrix.ORAL_FLUID, Substance.BENZODIAZEPINES): Decimal("1"),
}
HAIR_SEGMENTS = tuple(Segment(Decimal(a), Decimal(a + 1)) for a in range(3))

# Drugs a parent may use, with how often they come up.
DRUG_WEIGHTS = [
    (Substance.COCAINE, 0.45),
    (Substance.CANNABIS, 0.45),
    (Substance.AMPHETAMINE, 0.15),
    (Substance.OPIATES, 0.12),
    (Substance.BENZODIAZEPINES, 0.1),
]

MISSED_REASONS = [
    "Did not attend the testing appointment",
    "Did not attend; texted later to say the bus did not come",
    "Did not attend; overslept, according to a text sent later",
    "Did not attend and could not be reached by phone",
]
REFUSED_REASONS = [
    "Refused to give an observed urine sample",
    "Refused the oral swab and left the appointment early",
    "Refused: said the test was not needed this week",
]
UNABLE_REASONS = ["Could not provide a urine sample within the hour; oral swab taken instead"]
POSITIVE_NOTES = [
    "Admitted using at a friend's at the weekend",
    "Accepted the result; discussed with the keyworker",
    "Disputed the result at first, then said it was a one-off",
    "",
    "",
    "",
]


@dataclass(frozen=True)
class Timeline:
    """The dates a case's testing runs between."""

    entered: date
    assessment_start: date | None  # None: still at referral
    trial_start: date | None  # None: not yet in the trial for change
    final_start: date | None
    end: date  # the last day testing can have happened: closing, or today
    today: date


def timeline(case: Case, today: date) -> Timeline:
    changed = {}
    for change in sorted(case.phase_changes, key=lambda c: c.changed_on):
        changed.setdefault(change.to_phase, change.changed_on)
    reached = list(Phase).index(case.phase)
    in_trial = reached >= list(Phase).index(Phase.TRIAL_FOR_CHANGE)
    trial = changed.get(Phase.TRIAL_FOR_CHANGE, case.entered_on + timedelta(weeks=4))
    end = changed.get(Phase.CLOSED, today) if case.phase is Phase.CLOSED else today
    return Timeline(
        entered=case.entered_on,
        assessment_start=(
            changed.get(Phase.ASSESSMENT, case.entered_on)
            if case.phase is not Phase.REFERRAL
            else None
        ),
        trial_start=min(trial, today) if in_trial else None,
        final_start=changed.get(Phase.FINAL_STAGE),
        end=min(end, today),
        today=today,
    )


@dataclass(frozen=True)
class Profile:
    course: Course
    drugs: tuple[Substance, ...]
    alcohol: bool
    etg: bool  # the hair test includes EtG
    relapse_at: float  # relapsing: the fraction of the trial when the relapse begins
    methadone: bool = False


def choose_profile(
    rng: random.Random, outcome: Outcome | None, features: Collection[Feature]
) -> Profile:
    """A parent's pattern of use; closed cases' courses match how they ended."""
    if Feature.METHADONE in features:
        return Profile(Course.IMPROVING, (Substance.OPIATES,), False, True, 1.0, methadone=True)
    if outcome is Outcome.REUNIFIED:
        course = rng.choice([Course.IMPROVING, Course.STEADY])
    elif outcome in (Outcome.RETURNED_TO_STANDARD_PROCEEDINGS, Outcome.FOSTERING_OR_ADOPTION):
        course = Course.RELAPSING
    else:
        course = rng.choices(list(Course), weights=[0.4, 0.3, 0.3])[0]
    drugs = tuple(s for s, weight in DRUG_WEIGHTS if rng.random() < weight)
    alcohol = rng.random() < 0.45
    if not drugs and not alcohol:
        drugs = (rng.choice([Substance.COCAINE, Substance.CANNABIS]),)
    etg = alcohol or rng.random() < 0.3
    return Profile(course, drugs, alcohol, etg, rng.uniform(0.4, 0.65))


def use_level(profile: Profile, trial_start: date, day: date) -> float:
    """How likely the parent is to have used on `day` (0 to 1)."""
    base = {Course.IMPROVING: 0.8, Course.RELAPSING: 0.7, Course.STEADY: 0.12}[profile.course]
    if day < trial_start:
        return base
    t = (day - trial_start).days / TRIAL_DAYS
    if profile.course is Course.STEADY:
        return 0.03
    if profile.course is Course.IMPROVING:
        return max(0.03, base * (1 - t / 0.35))
    if t < profile.relapse_at:
        return max(0.05, base * (1 - t / 0.3))
    if t < profile.relapse_at + 0.2:
        return 0.6
    return 0.3


def _mean_level(profile: Profile, trial_start: date, first: date, last: date) -> float:
    days = range(0, (last - first).days + 1, 3)
    levels = [use_level(profile, trial_start, first + timedelta(days=d)) for d in days]
    return sum(levels) / len(levels)


@dataclass
class Plan:
    """One parent's testing, ready to record: `drafts` together, then the rest in order."""

    drafts: list[Draft] = field(default_factory=list)
    prescription: dict | None = None
    confirm: tuple[int, Draft] | None = None  # the screen's index in drafts, and its lab result
    amend: tuple[int, Draft, str] | None = None  # the index of the result, its correction, why


def _dec(value: float, places: str = "0.01") -> Decimal:
    return Decimal(str(value)).quantize(Decimal(places))


def _reported(rng: random.Random, collected: date, low: int, high: int, today: date) -> date:
    return min(collected + timedelta(days=rng.randint(low, high)), today)


def _lab_ref(rng: random.Random, prefix: str) -> str:
    return f"{prefix}-{rng.randint(100000, 999999)}"


def _peth(rng: random.Random, profile: Profile, tl: Timeline, day: date, previous) -> Draft:
    """A PEth: recent drinking, plus what is left of earlier drinking (half-life ~8 days)."""
    if profile.alcohol:
        recent = _mean_level(profile, tl.trial_start or day, day - timedelta(days=28), day)
        value = 300 * recent * rng.uniform(0.8, 1.2) + rng.uniform(2, 8)
        if previous is not None:
            value += float(previous[1]) * 0.5 ** ((day - previous[0]).days / 8)
    else:
        value = rng.uniform(2, 14)
    return Draft(
        Sample(Matrix.PETH, day, value=_dec(round(value), "1")),
        Method.LABORATORY,
        observed=True,
        lab_name=LAB,
        lab_reference=_lab_ref(rng, "NT"),
        reported_on=_reported(rng, day, 3, 6, tl.today),
    )


def _hair(rng: random.Random, profile: Profile, tl: Timeline, day: date) -> Draft:
    readings = []
    start = tl.trial_start or tl.entered + timedelta(weeks=4)
    for position, segment in enumerate(HAIR_SEGMENTS):
        level = _mean_level(profile, start, *hair_segment_period(day, segment))
        substances = [*HAIR_DRUGS, Substance.METHADONE] if profile.methadone else HAIR_DRUGS
        for substance in substances:
            cutoff = LAB_CUTOFFS.get((Matrix.HAIR, substance)) or default_cutoff(
                Matrix.HAIR, substance
            )
            if substance is Substance.METHADONE:
                value = float(cutoff) * rng.uniform(4, 12)
            elif substance in profile.drugs and level >= 0.1:
                value = float(cutoff) * (1 + level * rng.uniform(4, 12))
            elif substance in profile.drugs and level >= 0.04:
                value = float(cutoff) * rng.uniform(0.2, 0.8)  # a trace, below the cut-off
            else:
                value = 0.0  # not detected
            readings.append(
                Read(substance, value=_dec(value, "0.001"), cutoff=cutoff, segment=position)
            )
        if profile.etg:
            etg = 70 * level * rng.uniform(0.8, 1.3) + rng.uniform(0, 3) if profile.alcohol else 0
            etg = etg or rng.uniform(0, 4)
            readings.append(Read(Substance.ALCOHOL, value=_dec(etg, "0.1"), segment=position))
    return Draft(
        Sample(Matrix.HAIR, day, readings=tuple(readings), segments=HAIR_SEGMENTS),
        Method.LABORATORY,
        observed=True,
        lab_name=HAIR_LAB,
        lab_reference=_lab_ref(rng, "MHA"),
        reported_on=_reported(rng, day, 7, 12, tl.today),
        sample_length_cm=Decimal("3"),
        note="Head hair, 3 cm analysed in 1 cm segments",
    )


def _contact_days(rng: random.Random, tl: Timeline) -> list[date]:
    """Two or three weekdays a week from the start of the trial to the end of testing."""
    days = []
    monday = tl.trial_start - timedelta(days=tl.trial_start.weekday())
    while monday <= tl.end:
        final = tl.final_start is not None and monday >= tl.final_start
        count = rng.choice([2, 2, 3] if final else [2, 3, 3])
        for offset in sorted(rng.sample(range(5), count)):
            day = monday + timedelta(days=offset)
            if tl.trial_start <= day <= tl.end:
                days.append(day)
        monday += timedelta(weeks=1)
    return days


def _screen(matrix: Matrix, day: date, readings, *, observed=True, note="", creatinine=None):
    return Draft(
        Sample(matrix, day, readings=tuple(readings), creatinine_mg_dl=creatinine),
        Method.POINT_OF_CARE,
        observed=observed,
        note=note,
    )


def _not_taken(matrix: Matrix, day: date, status: Status, reason: str) -> Draft:
    return Draft(Sample(matrix, day, status=status), Method.POINT_OF_CARE, status_reason=reason)


def _panel(rng, profile: Profile, level: float, panel) -> list[Read]:
    readings = []
    for substance in panel:
        if substance is Substance.METHADONE:
            positive = profile.methadone
        else:
            positive = substance in profile.drugs and rng.random() < level
        readings.append(Read(substance, screen=Reading.POSITIVE if positive else Reading.NEGATIVE))
    return readings


def _contact(
    rng: random.Random, profile: Profile, tl: Timeline, day: date, forced: Feature | None
) -> list[Draft]:
    """The screens taken at one contact with the team."""
    level = use_level(profile, tl.trial_start, day)
    t = (day - tl.trial_start).days / TRIAL_DAYS
    relapse = profile.course is Course.RELAPSING and 0 <= t - profile.relapse_at < 0.2
    urine_share = 0.65 if profile.methadone else 0.35
    matrix = Matrix.URINE if rng.random() < urine_share else Matrix.ORAL_FLUID
    roll = rng.random()
    if forced is Feature.MISSED or (forced is None and roll < (0.15 if relapse else 0.03)):
        return [_not_taken(matrix, day, Status.MISSED, rng.choice(MISSED_REASONS))]

    drafts = []
    drinking = profile.alcohol and rng.random() < level * 0.35
    breath = _dec(rng.uniform(4, 48), "0.1") if drinking else Decimal("0.0")
    if forced is Feature.AMENDMENT:
        breath = Decimal("3.5")  # typed wrongly; amended to 0.0 afterwards
    drafts.append(
        Draft(Sample(Matrix.BREATH, day, value=breath), Method.POINT_OF_CARE, observed=True)
    )

    if forced is Feature.REFUSED or (forced is None and roll > (0.94 if relapse else 0.99)):
        reason = rng.choice(REFUSED_REASONS)
        refused = Matrix.URINE if "urine" in reason else Matrix.ORAL_FLUID
        return [*drafts, _not_taken(refused, day, Status.REFUSED, reason)]
    if forced is Feature.DILUTE:
        negatives = [Read(s, screen=Reading.NEGATIVE) for s in URINE_PANEL]
        note = "Sample pale and cool; had drunk a lot of water beforehand"
        return [*drafts, _screen(Matrix.URINE, day, negatives, note=note, creatinine=Decimal(12))]
    if forced is Feature.CONFIRMATION:
        readings = [
            Read(s, screen=Reading.POSITIVE if s is Substance.COCAINE else Reading.NEGATIVE)
            for s in ORAL_FLUID_PANEL
        ]
        note = "Disputed the cocaine line; swab sent to the lab for confirmation"
        return [*drafts, _screen(Matrix.ORAL_FLUID, day, readings, note=note)]

    observed = rng.random() < 0.9
    if matrix is Matrix.URINE and forced is None and rng.random() < 0.02:
        drafts.append(_not_taken(Matrix.URINE, day, Status.UNABLE_TO_PROVIDE, UNABLE_REASONS[0]))
        matrix = Matrix.ORAL_FLUID
        matrices = [matrix]
    else:
        both = rng.random() < 0.12
        matrices = [Matrix.ORAL_FLUID, Matrix.URINE] if both else [matrix]
    for m in matrices:
        readings = _panel(
            rng, profile, level, URINE_PANEL if m is Matrix.URINE else ORAL_FLUID_PANEL
        )
        positive = any(
            r.screen is Reading.POSITIVE and r.substance is not Substance.METHADONE
            for r in readings
        )
        note = rng.choice(POSITIVE_NOTES) if positive else ""
        if not observed:
            note = " ".join(filter(None, ["Taken at a home visit; not observed.", note]))
        creatinine = (
            Decimal(rng.randint(40, 220)) if m is Matrix.URINE and rng.random() < 0.5 else None
        )
        drafts.append(
            _screen(m, day, readings, observed=observed, note=note, creatinine=creatinine)
        )
    return drafts


def _confirmation(rng: random.Random, screen: Draft, tl: Timeline) -> Draft:
    """The lab's answer to a disputed cocaine screen: below the cut-off, so negative."""
    readings = []
    for substance in ORAL_FLUID_PANEL:
        cutoff = LAB_CUTOFFS.get((Matrix.ORAL_FLUID, substance)) or default_cutoff(
            Matrix.ORAL_FLUID, substance
        )
        value = Decimal("3.2") if substance is Substance.COCAINE else Decimal(0)
        readings.append(Read(substance, value=value, cutoff=cutoff))
    day = screen.sample.collected_on
    return Draft(
        Sample(Matrix.ORAL_FLUID, day, readings=tuple(readings)),
        Method.LABORATORY,
        observed=True,
        lab_name=LAB,
        lab_reference=_lab_ref(rng, "NT"),
        reported_on=_reported(rng, day, 4, 7, tl.today),
        note="Cocaine 3.2 ng/mL, below the 15 ng/mL cut-off: the screen is not confirmed",
    )


def _methadone(rng: random.Random, tl: Timeline) -> dict:
    return {
        "medication": "Methadone oral solution 1 mg/mL",
        "substance": Substance.METHADONE,
        "dose": "60 mg once a day, supervised consumption",
        "prescriber": "Riverside Community Drug and Alcohol Service (demo)",
        "starts_on": tl.entered - timedelta(days=rng.randint(120, 500)),
        "ends_on": None,
        "note": "Dose confirmed with the prescriber",
    }


def plan_parent(
    rng: random.Random, profile: Profile, tl: Timeline, features: Collection[Feature] = ()
) -> Plan:
    """One parent's testing history (pure: no database)."""
    plan = Plan()
    if profile.methadone:
        plan.prescription = _methadone(rng, tl)
    if tl.trial_start is None:
        if tl.assessment_start is None or rng.random() < 0.5:
            return plan
        first = max(tl.assessment_start, tl.entered) + timedelta(days=rng.randint(2, 6))
        day = min(first, tl.today)
        plan.drafts += [_peth(rng, profile, tl, day, None), _hair(rng, profile, tl, day)]
        return plan

    start = min(tl.trial_start + timedelta(days=rng.randint(0, 2)), tl.end)
    peth = _peth(rng, profile, tl, start, None)
    plan.drafts += [peth, _hair(rng, profile, tl, start)]

    # A repeat PEth about every 4 weeks, and a repeat hair test after about 3 months:
    # only those whose results are back by today.
    previous = (start, peth.sample.value)
    day = start + timedelta(days=28 + rng.randint(-2, 3))
    while day <= tl.end and day + timedelta(days=6) <= tl.today:
        repeat = _peth(rng, profile, tl, day, previous)
        plan.drafts.append(repeat)
        previous = (day, repeat.sample.value)
        day += timedelta(days=28 + rng.randint(-2, 3))
    day = start + timedelta(days=91 + rng.randint(0, 7))
    if day <= tl.end and day + timedelta(days=12) <= tl.today:
        plan.drafts.append(_hair(rng, profile, tl, day))

    days = _contact_days(rng, tl)
    forced = _forced_contacts(rng, days, tl, features)
    for i, day in enumerate(days):
        feature = forced.get(i)
        drafts = _contact(rng, profile, tl, day, feature)
        if feature is Feature.CONFIRMATION:
            plan.confirm = (len(plan.drafts) + 1, _confirmation(rng, drafts[1], tl))
        if feature is Feature.AMENDMENT:
            corrected = Draft(Sample(Matrix.BREATH, day, value=Decimal("0.0")), drafts[0].method)
            corrected.observed = True
            reason = "Breath reading typed as 3.5, the device showed 0.0"
            plan.amend = (len(plan.drafts), corrected, reason)
        plan.drafts += drafts
    return plan


def _forced_contacts(
    rng: random.Random, days: list[date], tl: Timeline, features: Collection[Feature]
) -> dict[int, Feature]:
    """Which contact shows each feature: in the middle of the trial, with time for lab results."""
    wanted = [f for f in Feature if f in features and f is not Feature.METHADONE]
    settled = [i for i, d in enumerate(days) if d + timedelta(days=10) <= tl.today]
    middle = settled[len(settled) // 4 : -2] or settled or list(range(len(days)))
    chosen = rng.sample(middle, min(len(wanted), len(middle)))
    return dict(zip(chosen, wanted, strict=False))


def add_testing_history(
    case: Case,
    rng: random.Random,
    today: date,
    worker: User | None,
    features: Collection[Feature] = (),
) -> int:
    """Record every parent's testing for `case`; the number of results stored.

    The case and its parents must be flushed (they need ids). Each parent's results are
    recorded and committed together, as services.record does.
    """
    tl = timeline(case, today)
    stored = 0
    for i, parent in enumerate(case.parents):
        mine = features if i == 0 else ()  # the first parent (the mother) shows the features
        profile = choose_profile(rng, case.outcome, mine)
        stored += _record(parent, plan_parent(rng, profile, tl, mine), worker, today)
    return stored


def _record(parent: Parent, plan: Plan, worker: User | None, today: date) -> int:
    if plan.prescription is not None:
        prescription = Prescription(case_id=parent.case_id, parent_id=parent.id)
        services.save_prescription(prescription, plan.prescription, by=worker)
    if not plan.drafts:
        return 0
    results = services.record(parent, plan.drafts, by=worker, today=today)
    count = len(results)
    if plan.confirm is not None:
        index, lab = plan.confirm
        lab.confirms = results[index]
        count += len(services.record(parent, [lab], by=worker, today=today))
    if plan.amend is not None:
        index, corrected, reason = plan.amend
        services.amend(results[index], corrected, reason=reason, by=worker, today=today)
        count += 1
    return count
