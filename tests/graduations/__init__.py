"""Graduations tests. Builders shared by the graduation test modules live here."""

from datetime import date, timedelta

from fdac.cases.models import PhaseChange
from fdac.cases.phases import Outcome, Phase
from fdac.extensions import db
from fdac.graduations.models import Graduation
from hearings.kinds import HearingStatus
from tests import factories

TODAY = date(2027, 3, 10)  # a Wednesday; the views' clock is set to it
FINAL_HEARING = date(2027, 2, 1)  # a Monday


def date_boxes(day: date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def move(case, to_phase: Phase, on: date, outcome: Outcome | None = None):
    """Move a case on (as the phase page would), recording the change."""
    case.phase_changes.append(PhaseChange(from_phase=case.phase, to_phase=to_phase, changed_on=on))
    case.phase = to_phase
    if outcome is not None:
        case.outcome = outcome
    db.session.commit()
    return case


def weekly_negatives(parent, before: date, weeks: int = 8) -> None:
    """One negative PEth in each of the `weeks` weeks before `before` (three days before each
    week's end)."""
    for n in range(weeks):
        factories.add_peth(parent, "12", collected_on=before - timedelta(days=3 + 7 * n))


def closed_family(team, judge, *, outcome=Outcome.REUNIFIED, closed_on=date(2027, 2, 8), **kw):
    """A case through the trial and the final stage, its final hearing held on FINAL_HEARING,
    closed on `closed_on` with `outcome`."""
    case = factories.make_case(team, judge_id=judge.id if judge else None, **kw)
    move(case, Phase.FINAL_STAGE, date(2026, 12, 1))
    factories.add_hearing(case, FINAL_HEARING, kind="final_hearing", status=HearingStatus.HELD)
    return move(case, Phase.CLOSED, closed_on, outcome)


def graduate(case, parent, on: date = date(2027, 3, 1), **fields) -> Graduation:
    graduation = Graduation(case_id=case.id, parent_id=parent.id, graduated_on=on, **fields)
    db.session.add(graduation)
    db.session.commit()
    return graduation
