from datetime import date

import pytest

from fdac.cases.phases import Outcome, Phase, PhaseChangeError, check_phase_change, next_phases

TODAY = date(2026, 11, 22)


def _check(current, target, **kw):
    args = {
        "changed_on": TODAY,
        "today": TODAY,
        "last_change_on": None,
        "outcome": None,
        "note": "",
    }
    args.update(kw)
    check_phase_change(current, target, **args)


@pytest.mark.parametrize(
    ("current", "moves"),
    [
        (Phase.REFERRAL, [Phase.ASSESSMENT, Phase.CLOSED]),
        (Phase.ASSESSMENT, [Phase.REFERRAL, Phase.TRIAL_FOR_CHANGE, Phase.CLOSED]),
        (Phase.TRIAL_FOR_CHANGE, [Phase.ASSESSMENT, Phase.FINAL_STAGE, Phase.CLOSED]),
        (Phase.FINAL_STAGE, [Phase.TRIAL_FOR_CHANGE, Phase.CLOSED]),
        (Phase.CLOSED, []),
    ],
)
def test_a_case_moves_one_step_either_way_or_closes(current, moves):
    assert next_phases(current) == moves


def test_a_case_cannot_skip_the_trial_for_change():
    with pytest.raises(PhaseChangeError, match="cannot move from Assessment to Final stage"):
        _check(Phase.ASSESSMENT, Phase.FINAL_STAGE)


def test_closing_needs_an_outcome_and_only_closing_has_one():
    with pytest.raises(PhaseChangeError) as error:
        _check(Phase.FINAL_STAGE, Phase.CLOSED)
    assert error.value.field == "outcome"
    _check(Phase.FINAL_STAGE, Phase.CLOSED, outcome=Outcome.REUNIFIED)
    with pytest.raises(PhaseChangeError, match="Only a closed case"):
        _check(Phase.ASSESSMENT, Phase.TRIAL_FOR_CHANGE, outcome=Outcome.REUNIFIED)


def test_moving_back_needs_a_reason():
    with pytest.raises(PhaseChangeError) as error:
        _check(Phase.TRIAL_FOR_CHANGE, Phase.ASSESSMENT, note="  ")
    assert error.value.field == "note"
    _check(Phase.TRIAL_FOR_CHANGE, Phase.ASSESSMENT, note="Moved by mistake")


@pytest.mark.parametrize(
    ("changed_on", "ok"),
    [
        (date(2026, 11, 23), False),
        (TODAY, True),
        (date(2026, 11, 1), True),
        (date(2026, 10, 31), False),
    ],
)
def test_change_date_is_not_in_the_future_nor_before_the_last_change(changed_on, ok):
    kw = {"changed_on": changed_on, "last_change_on": date(2026, 11, 1)}
    if ok:
        _check(Phase.ASSESSMENT, Phase.TRIAL_FOR_CHANGE, **kw)
    else:
        with pytest.raises(PhaseChangeError) as error:
            _check(Phase.ASSESSMENT, Phase.TRIAL_FOR_CHANGE, **kw)
        assert error.value.field == "changed_on"
