"""Contact targets per phase: the default, the team's own, the case's own."""

from datetime import date

from fdac.cases.phases import Phase
from fdac.contacts.targets import DEFAULT_TARGETS, phase_on, targets_for, weekly_target


def test_the_defaults_ask_for_two_contacts_a_week_in_the_trial_and_one_around_it():
    assert DEFAULT_TARGETS[Phase.TRIAL_FOR_CHANGE] == 2
    assert DEFAULT_TARGETS[Phase.ASSESSMENT] == 1
    assert DEFAULT_TARGETS[Phase.FINAL_STAGE] == 1
    assert DEFAULT_TARGETS[Phase.REFERRAL] == 0
    assert DEFAULT_TARGETS[Phase.CLOSED] == 0
    assert set(DEFAULT_TARGETS) == set(Phase)


def test_a_case_target_beats_the_teams_which_beats_the_default():
    team = {Phase.TRIAL_FOR_CHANGE: 3, Phase.ASSESSMENT: 2}
    case = {Phase.TRIAL_FOR_CHANGE: 1}
    targets = targets_for(team, case)
    assert targets[Phase.TRIAL_FOR_CHANGE] == 1  # the case's own
    assert targets[Phase.ASSESSMENT] == 2  # the team's
    assert targets[Phase.FINAL_STAGE] == 1  # the default
    assert set(targets) == set(Phase)


def test_without_team_or_case_targets_the_defaults_apply():
    assert targets_for({}, {}) == DEFAULT_TARGETS


def test_a_case_target_of_zero_is_a_target_not_a_missing_one():
    targets = targets_for({Phase.TRIAL_FOR_CHANGE: 3}, {Phase.TRIAL_FOR_CHANGE: 0})
    assert targets[Phase.TRIAL_FOR_CHANGE] == 0


HISTORY = [
    (date(2027, 6, 2), Phase.REFERRAL),
    (date(2027, 6, 23), Phase.TRIAL_FOR_CHANGE),  # listed out of order on purpose
    (date(2027, 6, 9), Phase.ASSESSMENT),
]


def test_the_phase_on_a_day_follows_the_history_in_date_order():
    assert phase_on(date(2027, 6, 1), HISTORY) is None  # before entry
    assert phase_on(date(2027, 6, 2), HISTORY) is Phase.REFERRAL
    assert phase_on(date(2027, 6, 22), HISTORY) is Phase.ASSESSMENT
    assert phase_on(date(2027, 6, 23), HISTORY) is Phase.TRIAL_FOR_CHANGE


def test_the_weekly_target_is_that_of_the_phase_on_the_monday():
    target = weekly_target(HISTORY, DEFAULT_TARGETS)
    assert target(date(2027, 5, 24)) == 0  # before the family entered
    assert target(date(2027, 6, 14)) == 1  # assessment all week
    assert target(date(2027, 6, 21)) == 1  # moved to the trial on the Wednesday
    assert target(date(2027, 6, 28)) == 2


def test_the_week_of_entry_counts_by_the_phase_the_family_entered_in():
    entered_in_assessment = weekly_target([(date(2027, 6, 9), Phase.ASSESSMENT)], DEFAULT_TARGETS)
    assert entered_in_assessment(date(2027, 6, 7)) == 1
    # Entered at referral on Wednesday, assessment from Friday: nothing owed that week.
    moved_on = weekly_target(
        [(date(2027, 6, 9), Phase.REFERRAL), (date(2027, 6, 11), Phase.ASSESSMENT)],
        DEFAULT_TARGETS,
    )
    assert moved_on(date(2027, 6, 7)) == 0
    assert moved_on(date(2027, 6, 14)) == 1


def test_a_closed_case_owes_no_contact_after_closing():
    history = [(date(2027, 1, 4), Phase.TRIAL_FOR_CHANGE), (date(2027, 3, 3), Phase.CLOSED)]
    target = weekly_target(history, DEFAULT_TARGETS)
    assert target(date(2027, 3, 1)) == 2  # closed on the Wednesday of this week
    assert target(date(2027, 3, 8)) == 0


def test_the_weekly_target_uses_the_case_and_team_targets_given():
    targets = targets_for({Phase.ASSESSMENT: 3}, {Phase.TRIAL_FOR_CHANGE: 1})
    target = weekly_target(HISTORY, targets)
    assert target(date(2027, 6, 14)) == 3
    assert target(date(2027, 6, 28)) == 1


def test_no_history_means_no_target():
    assert weekly_target([], DEFAULT_TARGETS)(date(2027, 6, 7)) == 0
