"""Contact targets: attended contacts a week, per phase. A team may change its defaults and a
case may have its own (with a reason); both are audited."""

from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta

from fdac.cases.phases import Phase

# Teams see parents two or three times a week during the trial (shared/DOMAIN.md); these are the
# defaults a new team starts from (configurable per team in Team settings).
DEFAULT_TARGETS: dict[Phase, int] = {
    Phase.REFERRAL: 0,
    Phase.ASSESSMENT: 1,
    Phase.TRIAL_FOR_CHANGE: 2,
    Phase.FINAL_STAGE: 1,
    Phase.CLOSED: 0,
}
MAX_TARGET = 14  # two contacts a day is the most a target may ask


def targets_for(
    team_targets: Mapping[Phase, int], case_targets: Mapping[Phase, int]
) -> dict[Phase, int]:
    """Per phase: the case's own target, else the team's, else the default."""
    return {
        phase: case_targets.get(phase, team_targets.get(phase, default))
        for phase, default in DEFAULT_TARGETS.items()
    }


def phase_on(day: date, phase_changes: Sequence[tuple[date, Phase]]) -> Phase | None:
    """The phase a case was in on `day`, from its (date, phase moved to) history."""
    current = None
    for changed_on, phase in sorted(phase_changes, key=lambda change: change[0]):
        if changed_on > day:
            break
        current = phase
    return current


def weekly_target(
    phase_changes: Sequence[tuple[date, Phase]], targets: Mapping[Phase, int]
) -> Callable[[date], int]:
    """The target for the week starting on a Monday: that of the phase the case was in on the
    Monday, or, in the week it entered FDAC, the phase it entered in."""

    # The entry week counts by the phase on the day of entry, not the phase reached by the
    # Sunday: a family that entered at referral on a Wednesday and moved on to the assessment
    # on the Friday owed no contact that week.
    entered_on = min((changed_on for changed_on, _ in phase_changes), default=None)

    def target(week_start: date) -> int:
        phase = phase_on(week_start, phase_changes)
        if phase is None and entered_on is not None and entered_on <= week_start + timedelta(6):
            phase = phase_on(entered_on, phase_changes)
        return targets.get(phase, 0) if phase is not None else 0

    return target
