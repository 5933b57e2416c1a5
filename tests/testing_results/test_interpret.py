"""Reading test results as the team and the court do (shared/DOMAIN.md, "Testing").

Every figure below is the one DOMAIN.md gives; the code's own table (panels.py) is not used to
build the expectations, so a wrong figure there shows up here.
"""

import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from testing_results.interpret import (
    Coverage,
    Overall,
    PrescriptionPeriod,
    Reading,
    Sample,
    Segment,
    Status,
    SubstanceReading,
    coverage,
    effective,
    hair_segment_period,
    interpret,
    interpret_series,
    trend_summary,
)
from testing_results.panels import Matrix, Substance, SubstanceGroup

D = date(2026, 6, 15)  # a day in the trial for change
TODAY = date(2026, 7, 1)
S = Substance
G = SubstanceGroup


# ------------------------------------------------------------------------------ builders


def dec(value) -> Decimal:
    return Decimal(str(value))


def lab(substance: Substance, value, cutoff=None, segment=None) -> SubstanceReading:
    """A laboratory concentration for one substance."""
    return SubstanceReading(
        substance,
        value=dec(value),
        cutoff=None if cutoff is None else dec(cutoff),
        segment=segment,
    )


def screen(substance: Substance, answer: Reading) -> SubstanceReading:
    """A point-of-care device's answer for one substance."""
    return SubstanceReading(substance, screen=answer)


def urine(*readings, on=D, creatinine=None, key=None, confirms=None) -> Sample:
    return Sample(
        Matrix.URINE,
        on,
        readings=readings,
        creatinine_mg_dl=None if creatinine is None else dec(creatinine),
        key=key,
        confirms=confirms,
    )


def oral_fluid(*readings, on=D, key=None) -> Sample:
    return Sample(Matrix.ORAL_FLUID, on, readings=readings, key=key)


def breath(value, on=D) -> Sample:
    return Sample(Matrix.BREATH, on, value=dec(value))


def peth(value, on=D) -> Sample:
    return Sample(Matrix.PETH, on, value=dec(value))


def hair(*readings, segments=((0, 3),), on=date(2026, 11, 1)) -> Sample:
    return Sample(
        Matrix.HAIR,
        on,
        readings=readings,
        segments=tuple(Segment(dec(a), dec(b)) for a, b in segments),
    )


def not_taken(status: Status, matrix=Matrix.URINE, on=D) -> Sample:
    return Sample(matrix, on, status=status)


def negative_urine(on=D) -> Sample:
    return urine(lab(S.COCAINE, 0), lab(S.CANNABIS, 0), on=on)


def positive_urine(on=D) -> Sample:
    return urine(lab(S.COCAINE, 900), on=on)


def day(n: int) -> date:
    """The n-th day of a run of tests starting on D."""
    return D + timedelta(days=n)


def summary_of(*samples, prescriptions=(), today=TODAY):
    return trend_summary(interpret_series(samples, prescriptions), today)


def around(cutoffs, step):
    """Just below, at and just above each cut-off: (substance, value, positive?)."""
    step = dec(step)
    cases = []
    for substance, cutoff in cutoffs:
        cutoff = dec(cutoff)
        name = substance.value
        cases += [
            pytest.param(substance, cutoff - step, False, id=f"{name}-below-{cutoff - step}"),
            pytest.param(substance, cutoff, True, id=f"{name}-at-{cutoff}"),
            pytest.param(substance, cutoff + step, True, id=f"{name}-above-{cutoff + step}"),
        ]
    return cases


def rows_by_group(series, start, end):
    return {row.group: row for row in coverage(series, start, end)}


def state_on(row, start: date, when: date) -> Coverage:
    return row.days[(when - start).days]


# ------------------------------------------------------------------------------- PEth


@pytest.mark.parametrize(
    ("value", "band", "overall"),
    [
        ("19.9", "consistent_with_abstinence", Overall.NEGATIVE),
        ("20", "significant_drinking", Overall.POSITIVE),
        ("200", "significant_drinking", Overall.POSITIVE),
        ("200.1", "excessive_drinking", Overall.POSITIVE),
    ],
)
def test_peth_is_read_in_the_peth_net_bands(value, band, overall):
    result = interpret(peth(value))
    assert result.band.key == band
    assert result.overall is overall
    assert [f.substance for f in result.findings] == [S.ALCOHOL]
    assert result.findings[0].outcome is overall


def test_peth_below_20_reads_in_plain_english_as_abstinence_or_low_drinking():
    summary = interpret(peth("19.9")).summary
    assert "Below 20 ng/mL" in summary
    assert "abstinence or low alcohol consumption" in summary
    assert "_" not in summary  # no internal keys leak into what a judge reads


@pytest.mark.parametrize(
    ("value", "words"),
    [("150", "Significant drinking"), ("250", "Excessive drinking")],
)
def test_peth_above_the_cut_off_says_how_much_drinking_in_plain_english(value, words):
    summary = interpret(peth(value)).summary
    assert words in summary
    assert "_" not in summary


def test_negative_peth_speaks_for_the_previous_28_days():
    (finding,) = interpret(peth("10")).findings
    assert finding.period == (D - timedelta(days=28), D)


# ------------------------------------------------------------------------------ hair EtG


@pytest.mark.parametrize(
    ("value", "band", "overall"),
    [
        ("4.9", "consistent_with_abstinence", Overall.NEGATIVE),
        ("5", "repeated_drinking", Overall.POSITIVE),
        ("29.9", "repeated_drinking", Overall.POSITIVE),
        ("30", "chronic_excessive_drinking", Overall.POSITIVE),
    ],
)
def test_hair_etg_is_read_in_the_society_of_hair_testing_bands(value, band, overall):
    result = interpret(hair(lab(S.ALCOHOL, value, segment=0)))
    assert result.overall is overall
    assert result.band.key == band
    (finding,) = result.findings
    assert finding.band.key == band
    assert finding.unit == "pg/mg"


def test_hair_etg_shows_the_worst_segment_band():
    sample = hair(
        lab(S.ALCOHOL, "2", segment=0),
        lab(S.ALCOHOL, "31", segment=1),
        lab(S.ALCOHOL, "7", segment=2),
        segments=((0, 1), (1, 2), (2, 3)),
    )
    result = interpret(sample)
    assert result.band.key == "chronic_excessive_drinking"
    assert result.overall is Overall.POSITIVE


# ----------------------------------------------------------------------------- hair drugs

HAIR_DEFAULT_CUTOFFS = [
    (S.COCAINE, "0.5"),
    (S.CANNABIS, "0.05"),
    (S.AMPHETAMINE, "0.2"),
    (S.METHAMPHETAMINE, "0.2"),
    (S.MDMA, "0.2"),
    (S.OPIATES, "0.2"),
    (S.METHADONE, "0.2"),
]


@pytest.mark.parametrize(("substance", "value", "positive"), around(HAIR_DEFAULT_CUTOFFS, "0.01"))
def test_hair_drug_is_positive_at_or_above_the_soht_default_cut_off(substance, value, positive):
    result = interpret(hair(lab(substance, value, segment=0)))
    assert result.overall is (Overall.POSITIVE if positive else Overall.NEGATIVE)
    (finding,) = result.findings
    assert finding.unit == "ng/mg"


@pytest.mark.parametrize(
    ("value", "lab_cutoff", "overall"),
    [
        ("0.3", "0.2", Overall.POSITIVE),  # below the default 0.5, at or above the lab's own
        ("0.6", "1.0", Overall.NEGATIVE),  # above the default 0.5, below the lab's own
        ("1.0", "1.0", Overall.POSITIVE),
    ],
)
def test_the_labs_own_hair_cut_off_overrides_the_default(value, lab_cutoff, overall):
    result = interpret(hair(lab(S.COCAINE, value, cutoff=lab_cutoff, segment=0)))
    assert result.overall is overall
    assert result.findings[0].cutoff == dec(lab_cutoff)


def test_hair_benzodiazepines_without_the_labs_cut_off_cannot_be_read():
    with pytest.raises(ValueError, match="cut-off"):
        interpret(hair(lab(S.BENZODIAZEPINES, "0.1", segment=0)))


@pytest.mark.parametrize(
    ("value", "overall"), [("0.09", Overall.NEGATIVE), ("0.1", Overall.POSITIVE)]
)
def test_hair_benzodiazepines_are_read_against_the_labs_cut_off(value, overall):
    result = interpret(hair(lab(S.BENZODIAZEPINES, value, cutoff="0.1", segment=0)))
    assert result.overall is overall


# ------------------------------------------------------------------------- hair periods


def test_a_0_to_3_cm_hair_sample_collected_on_1_november_covers_20_july_to_18_october():
    period = hair_segment_period(date(2026, 11, 1), Segment(dec(0), dec(3)))
    assert period == (date(2026, 7, 20), date(2026, 10, 18))


@pytest.mark.parametrize(
    ("from_cm", "to_cm", "period"),
    [
        (0, 1, (date(2026, 9, 18), date(2026, 10, 18))),
        (1, 2, (date(2026, 8, 19), date(2026, 9, 18))),
        (2, 3, (date(2026, 7, 20), date(2026, 8, 19))),
    ],
)
def test_each_1_cm_hair_segment_covers_about_a_month(from_cm, to_cm, period):
    assert hair_segment_period(date(2026, 11, 1), Segment(dec(from_cm), dec(to_cm))) == period


def test_hair_findings_carry_their_segments_period():
    sample = hair(
        lab(S.COCAINE, "0.1", segment=0),
        lab(S.COCAINE, "0.9", segment=1),
        lab(S.COCAINE, "0.1", segment=2),
        segments=((0, 1), (1, 2), (2, 3)),
    )
    result = interpret(sample)
    assert result.overall is Overall.POSITIVE
    assert [(f.segment, f.period, f.outcome) for f in result.findings] == [
        (Segment(dec(0), dec(1)), (date(2026, 9, 18), date(2026, 10, 18)), Overall.NEGATIVE),
        (Segment(dec(1), dec(2)), (date(2026, 8, 19), date(2026, 9, 18)), Overall.POSITIVE),
        (Segment(dec(2), dec(3)), (date(2026, 7, 20), date(2026, 8, 19)), Overall.NEGATIVE),
    ]


# ---------------------------------------------------------------------------------- urine

URINE_CUTOFFS = [
    (S.AMPHETAMINE, "500"),  # "amphetamines 500" covers amphetamine, methamphetamine, MDMA
    (S.METHAMPHETAMINE, "500"),
    (S.MDMA, "500"),
    (S.BENZODIAZEPINES, "200"),
    (S.CANNABIS, "50"),
    (S.COCAINE, "150"),
    (S.OPIATES, "300"),
    (S.METHADONE, "300"),
    (S.BUPRENORPHINE, "5"),
]


@pytest.mark.parametrize(("substance", "value", "positive"), around(URINE_CUTOFFS, "0.1"))
def test_urine_is_positive_at_or_above_the_european_cut_off(substance, value, positive):
    result = interpret(urine(lab(substance, value), creatinine="80"))
    assert result.overall is (Overall.POSITIVE if positive else Overall.NEGATIVE)
    assert result.flags == ()


def test_a_dilute_urine_is_not_a_negative():
    result = interpret(urine(lab(S.COCAINE, "10"), creatinine="19.9"))
    assert result.overall is Overall.DILUTE
    assert result.overall is not Overall.NEGATIVE
    assert not result.overall.is_negative
    assert not result.overall.counts_as_positive
    assert "dilute" in result.flags
    assert "not a negative" in result.summary


def test_urine_with_creatinine_at_20_is_not_dilute():
    result = interpret(urine(lab(S.COCAINE, "10"), creatinine="20"))
    assert result.overall is Overall.NEGATIVE
    assert "dilute" not in result.flags


def test_a_dilute_urine_that_is_also_positive_is_positive():
    result = interpret(urine(lab(S.COCAINE, "150"), creatinine="12"))
    assert result.overall is Overall.POSITIVE
    assert "dilute" in result.flags
    assert "Cocaine" in result.summary


# ---------------------------------------------------------------------------- oral fluid

ORAL_FLUID_CUTOFFS = [
    (S.CANNABIS, "4"),
    (S.COCAINE, "15"),
    (S.OPIATES, "30"),
    (S.SIX_MAM, "4"),
    (S.AMPHETAMINE, "50"),
    (S.METHAMPHETAMINE, "50"),
    (S.MDMA, "50"),
]


@pytest.mark.parametrize(("substance", "value", "positive"), around(ORAL_FLUID_CUTOFFS, "0.1"))
def test_oral_fluid_is_positive_at_or_above_the_us_federal_cut_off(substance, value, positive):
    result = interpret(oral_fluid(lab(substance, value)))
    assert result.overall is (Overall.POSITIVE if positive else Overall.NEGATIVE)


def test_oral_fluid_benzodiazepines_need_the_devices_or_labs_cut_off():
    with pytest.raises(ValueError, match="cut-off"):
        interpret(oral_fluid(lab(S.BENZODIAZEPINES, "10")))


@pytest.mark.parametrize(
    ("value", "overall"),
    [("9.9", Overall.NEGATIVE), ("10", Overall.POSITIVE), ("10.1", Overall.POSITIVE)],
)
def test_oral_fluid_benzodiazepines_are_read_against_the_given_cut_off(value, overall):
    result = interpret(oral_fluid(lab(S.BENZODIAZEPINES, value, cutoff="10")))
    assert result.overall is overall


# --------------------------------------------------------------------------------- breath


@pytest.mark.parametrize(
    ("value", "overall", "flags"),
    [
        ("0", Overall.NEGATIVE, ()),
        ("0.1", Overall.POSITIVE, ()),
        ("34.9", Overall.POSITIVE, ()),
        ("35", Overall.POSITIVE, ("above_drink_drive_limit",)),
        ("35.1", Overall.POSITIVE, ("above_drink_drive_limit",)),
    ],
)
def test_any_breath_alcohol_is_positive_and_35_is_flagged_as_over_the_drink_drive_limit(
    value, overall, flags
):
    result = interpret(breath(value))
    assert result.overall is overall
    assert result.flags == flags


def test_breath_reading_speaks_for_the_same_day_only():
    (finding,) = interpret(breath("12")).findings
    assert finding.period == (D, D)


# ----------------------------------------------------------------------- point-of-care


def test_a_point_of_care_screen_is_read_substance_by_substance():
    result = interpret(
        urine(
            screen(S.COCAINE, Reading.POSITIVE),
            screen(S.CANNABIS, Reading.NEGATIVE),
            screen(S.OPIATES, Reading.NOT_TESTED),
        )
    )
    assert result.overall is Overall.POSITIVE
    assert {f.substance: f.outcome for f in result.findings} == {
        S.COCAINE: Overall.POSITIVE,
        S.CANNABIS: Overall.NEGATIVE,
    }


def test_a_screen_negative_for_everything_tested_is_negative():
    result = interpret(
        oral_fluid(
            screen(S.COCAINE, Reading.NEGATIVE),
            screen(S.CANNABIS, Reading.NEGATIVE),
            screen(S.BENZODIAZEPINES, Reading.NOT_TESTED),
        )
    )
    assert result.overall is Overall.NEGATIVE
    assert [f.substance for f in result.findings] == [S.COCAINE, S.CANNABIS]


def test_a_screen_where_nothing_was_tested_cannot_be_read():
    sample = oral_fluid(
        screen(S.COCAINE, Reading.NOT_TESTED), screen(S.CANNABIS, Reading.NOT_TESTED)
    )
    with pytest.raises(ValueError, match="no substance was tested"):
        interpret(sample)


# ------------------------------------------------------- missed, refused, unable to provide

NOT_TAKEN = [
    (Status.MISSED, Overall.MISSED),
    (Status.REFUSED, Overall.REFUSED),
    (Status.UNABLE_TO_PROVIDE, Overall.UNABLE_TO_PROVIDE),
]


@pytest.mark.parametrize(("status", "overall"), NOT_TAKEN)
@pytest.mark.parametrize("matrix", list(Matrix))
def test_a_test_that_did_not_happen_is_shown_as_what_it_was_and_counts_as_positive(
    status, overall, matrix
):
    result = interpret(not_taken(status, matrix))
    assert result.overall is overall
    assert result.overall is not Overall.POSITIVE
    assert result.overall.counts_as_positive
    assert not result.overall.is_negative
    assert "counts as a positive" in result.summary


@pytest.mark.parametrize(("status", "overall"), NOT_TAKEN)
def test_missed_test_counts_as_positive_in_compliance(status, overall):
    summary = summary_of(
        negative_urine(day(0)),
        negative_urine(day(1)),
        not_taken(status, on=day(2)),
        negative_urine(day(3)),
    )
    assert summary.counts[overall] == 1
    assert summary.counts[Overall.POSITIVE] == 0
    assert summary.counted_as_positive == 1
    assert summary.longest_negative_run == 2
    assert summary.current_negative_run == 1
    assert summary.last_positive_on == day(2)
    assert summary.days_since_last_positive == (TODAY - day(2)).days


@pytest.mark.parametrize(("status", "_overall"), NOT_TAKEN)
def test_a_missed_test_after_a_positive_resets_days_since_last_positive(status, _overall):
    summary = summary_of(positive_urine(day(0)), not_taken(status, on=day(5)))
    assert summary.last_positive_on == day(5)
    assert summary.days_since_last_positive == (TODAY - day(5)).days


def test_a_dilute_sample_breaks_the_run_but_does_not_reset_days_since_last_positive():
    summary = summary_of(
        positive_urine(day(0)),
        negative_urine(day(1)),
        negative_urine(day(2)),
        urine(lab(S.COCAINE, "0"), on=day(3), creatinine="10"),
        negative_urine(day(4)),
    )
    assert summary.counts[Overall.DILUTE] == 1
    assert summary.counted_as_positive == 1
    assert summary.longest_negative_run == 2
    assert summary.current_negative_run == 1
    assert summary.last_positive_on == day(0)
    assert summary.days_since_last_positive == (TODAY - day(0)).days


# -------------------------------------------------------------------------- prescriptions


def methadone_prescription(starts_on=D - timedelta(days=30), ends_on=None):
    return PrescriptionPeriod(S.METHADONE, starts_on, ends_on)


def test_methadone_positive_while_prescribed_is_consistent_with_prescription():
    result = interpret(urine(lab(S.METHADONE, "400")), [methadone_prescription()])
    assert result.overall is Overall.CONSISTENT_WITH_PRESCRIPTION
    assert not result.overall.counts_as_positive
    (finding,) = result.findings
    assert finding.outcome is Overall.CONSISTENT_WITH_PRESCRIPTION
    assert "consistent with prescription" in result.summary


def test_a_prescribed_methadone_positive_extends_a_negative_run():
    summary = summary_of(
        negative_urine(day(0)),
        urine(lab(S.METHADONE, "400"), on=day(1)),
        negative_urine(day(2)),
        prescriptions=[methadone_prescription()],
    )
    assert summary.counts[Overall.CONSISTENT_WITH_PRESCRIPTION] == 1
    assert summary.counted_as_positive == 0
    assert summary.longest_negative_run == 3
    assert summary.current_negative_run == 3
    assert summary.last_positive_on is None
    assert summary.days_since_last_positive is None


@pytest.mark.parametrize(
    ("ended_days_before", "overall"),
    [
        (1, Overall.CONSISTENT_WITH_PRESCRIPTION),
        (3, Overall.CONSISTENT_WITH_PRESCRIPTION),  # still inside the urine's 3-day window
        (4, Overall.POSITIVE),  # beyond the window: the prescription cannot explain it
        (30, Overall.POSITIVE),
    ],
)
def test_methadone_positive_after_the_prescription_ended_is_positive(ended_days_before, overall):
    prescription = methadone_prescription(
        starts_on=D - timedelta(days=90), ends_on=D - timedelta(days=ended_days_before)
    )
    assert interpret(urine(lab(S.METHADONE, "400")), [prescription]).overall is overall


def test_a_prescription_that_starts_after_the_test_does_not_explain_it():
    later = methadone_prescription(starts_on=D + timedelta(days=1))
    assert interpret(urine(lab(S.METHADONE, "400")), [later]).overall is Overall.POSITIVE


def test_a_prescription_for_a_different_substance_does_not_explain_a_positive():
    buprenorphine = PrescriptionPeriod(S.BUPRENORPHINE, D - timedelta(days=30), None)
    assert interpret(urine(lab(S.METHADONE, "400")), [buprenorphine]).overall is Overall.POSITIVE


def test_cocaine_positive_alongside_prescribed_methadone_is_positive():
    result = interpret(
        urine(lab(S.COCAINE, "200"), lab(S.METHADONE, "400")), [methadone_prescription()]
    )
    assert result.overall is Overall.POSITIVE
    assert {f.substance: f.outcome for f in result.findings} == {
        S.COCAINE: Overall.POSITIVE,
        S.METHADONE: Overall.CONSISTENT_WITH_PRESCRIPTION,
    }
    assert result.summary == "Positive for Cocaine; Methadone consistent with prescription"


# --------------------------------------------------------------------------- confirmation


def test_a_laboratory_confirmation_replaces_its_screen():
    screened = urine(screen(S.COCAINE, Reading.POSITIVE), key="screen-1")
    confirmed = urine(lab(S.COCAINE, "100"), key="lab-1", confirms="screen-1")
    other = urine(screen(S.COCAINE, Reading.NEGATIVE), on=day(-3), key="screen-0")
    assert effective([screened, confirmed, other]) == [other, confirmed]


def test_a_screen_positive_overturned_by_a_lab_negative_counts_as_negative():
    summary = summary_of(
        urine(screen(S.COCAINE, Reading.POSITIVE), key="screen-1"),
        urine(lab(S.COCAINE, "100"), key="lab-1", confirms="screen-1"),
    )
    assert summary.total == 1
    assert summary.counts[Overall.NEGATIVE] == 1
    assert summary.counts[Overall.POSITIVE] == 0
    assert summary.counted_as_positive == 0
    assert summary.last_positive_on is None


def test_a_screen_without_a_confirmation_still_counts():
    summary = summary_of(
        urine(screen(S.COCAINE, Reading.POSITIVE), key="screen-1"),
        urine(lab(S.COCAINE, "100"), on=day(1), key="lab-2", confirms="screen-9"),
    )
    assert summary.total == 2
    assert summary.counts[Overall.POSITIVE] == 1


# -------------------------------------------------------------------------- trend summary


def test_trend_summary_counts_runs_and_days_since_the_last_positive():
    summary = summary_of(
        negative_urine(day(0)),
        negative_urine(day(1)),
        positive_urine(day(2)),
        negative_urine(day(3)),
        negative_urine(day(4)),
        negative_urine(day(5)),
        breath("0", on=day(6)),
        today=day(10),
    )
    assert summary.total == 7
    assert summary.counts[Overall.NEGATIVE] == 6
    assert summary.counts[Overall.POSITIVE] == 1
    assert summary.counts[Overall.MISSED] == 0
    assert set(summary.counts) == set(Overall)
    assert summary.counted_as_positive == 1
    assert summary.longest_negative_run == 4
    assert summary.longest_negative_run_days == 4  # day 3 to day 6
    assert summary.current_negative_run == 4
    assert summary.last_positive_on == day(2)
    assert summary.days_since_last_positive == 8


def test_the_longest_run_in_days_can_be_another_run_than_the_longest_in_tests():
    summary = summary_of(
        negative_urine(day(0)),
        negative_urine(day(20)),  # two tests spanning 21 days
        positive_urine(day(21)),
        negative_urine(day(22)),
        negative_urine(day(23)),
        negative_urine(day(24)),  # three tests spanning 3 days
        today=day(25),
    )
    assert summary.longest_negative_run == 3
    assert summary.longest_negative_run_days == 21


def test_a_dilute_sample_breaks_the_run_in_days_too():
    summary = summary_of(
        negative_urine(day(0)),
        urine(lab(S.COCAINE, "0"), on=day(5), creatinine="10"),  # dilute
        negative_urine(day(9)),
        today=day(9),
    )
    assert summary.longest_negative_run == 1
    assert summary.longest_negative_run_days == 1


def test_trend_summary_reads_the_series_oldest_first_whatever_order_it_was_given():
    summary = summary_of(
        negative_urine(day(3)), positive_urine(day(1)), negative_urine(day(0)), today=day(3)
    )
    assert summary.longest_negative_run == 1
    assert summary.current_negative_run == 1
    assert summary.last_positive_on == day(1)
    assert summary.days_since_last_positive == 2


def test_trend_summary_ending_on_a_positive_has_no_current_run():
    summary = summary_of(negative_urine(day(0)), negative_urine(day(1)), positive_urine(day(2)))
    assert summary.longest_negative_run == 2
    assert summary.current_negative_run == 0


def test_trend_summary_with_no_positive_has_no_last_positive():
    summary = summary_of(negative_urine(day(0)))
    assert summary.last_positive_on is None
    assert summary.days_since_last_positive is None


def test_trend_summary_of_nothing_is_empty():
    summary = trend_summary([], TODAY)
    assert summary.total == 0
    assert summary.counted_as_positive == 0
    assert summary.longest_negative_run == 0
    assert summary.longest_negative_run_days == 0
    assert summary.last_positive_on is None


# ------------------------------------------------------------------------------- coverage


def test_a_negative_oral_fluid_covers_two_days_before_for_the_groups_it_tested_only():
    start, end = D - timedelta(days=5), D + timedelta(days=2)
    series = interpret_series([oral_fluid(lab(S.COCAINE, "0"), lab(S.CANNABIS, "0"))])
    rows = rows_by_group(series, start, end)
    for group in (G.COCAINE, G.CANNABIS):
        row = rows[group]
        assert state_on(row, start, D - timedelta(days=3)) is Coverage.NONE
        for back in (2, 1, 0):
            assert state_on(row, start, D - timedelta(days=back)) is Coverage.NEGATIVE
        assert state_on(row, start, D + timedelta(days=1)) is Coverage.NONE
    for group in (G.ALCOHOL, G.AMPHETAMINES, G.OPIOIDS, G.BENZODIAZEPINES):
        assert set(rows[group].days) == {Coverage.NONE}


def test_a_positive_wins_over_a_negative_on_an_overlapping_day():
    start, end = D - timedelta(days=3), D + timedelta(days=1)
    series = interpret_series(
        [oral_fluid(lab(S.COCAINE, "0")), oral_fluid(lab(S.COCAINE, "20"), on=D + timedelta(1))]
    )
    row = rows_by_group(series, start, end)[G.COCAINE]
    assert row.days == [
        Coverage.NONE,  # D-3
        Coverage.NEGATIVE,  # D-2: only the negative reaches back this far
        Coverage.POSITIVE,  # D-1, D and D+1: the positive on D+1 covers them
        Coverage.POSITIVE,
        Coverage.POSITIVE,
    ]


@pytest.mark.parametrize(("status", "_overall"), NOT_TAKEN)
def test_a_missed_test_marks_only_its_own_day_for_its_panels_groups(status, _overall):
    start, end = D - timedelta(days=3), D + timedelta(days=1)
    series = interpret_series([not_taken(status, Matrix.ORAL_FLUID)])
    rows = rows_by_group(series, start, end)
    for group in (G.COCAINE, G.CANNABIS, G.AMPHETAMINES, G.OPIOIDS, G.BENZODIAZEPINES):
        assert rows[group].days == [Coverage.NONE] * 3 + [Coverage.NOT_TAKEN, Coverage.NONE]
    assert set(rows[G.ALCOHOL].days) == {Coverage.NONE}


def test_a_missed_breath_test_marks_only_alcohol():
    series = interpret_series([not_taken(Status.MISSED, Matrix.BREATH)])
    rows = rows_by_group(series, D, D)
    assert rows[G.ALCOHOL].days == [Coverage.NOT_TAKEN]
    assert all(rows[g].days == [Coverage.NONE] for g in SubstanceGroup if g is not G.ALCOHOL)


def test_a_negative_peth_covers_28_days_back_for_alcohol_only():
    start, end = D - timedelta(days=30), D + timedelta(days=1)
    rows = rows_by_group(interpret_series([peth("12")]), start, end)
    alcohol = rows[G.ALCOHOL]
    assert state_on(alcohol, start, D - timedelta(days=29)) is Coverage.NONE
    assert state_on(alcohol, start, D - timedelta(days=28)) is Coverage.NEGATIVE
    assert state_on(alcohol, start, D) is Coverage.NEGATIVE
    assert state_on(alcohol, start, D + timedelta(days=1)) is Coverage.NONE
    assert alcohol.days.count(Coverage.NEGATIVE) == 29
    assert all(set(rows[g].days) == {Coverage.NONE} for g in SubstanceGroup if g is not G.ALCOHOL)


def test_a_hair_segment_positive_covers_that_segments_period():
    sample = hair(
        lab(S.COCAINE, "0.1", segment=0),
        lab(S.COCAINE, "0.9", segment=1),
        lab(S.COCAINE, "0.1", segment=2),
        segments=((0, 1), (1, 2), (2, 3)),
    )
    start, end = date(2026, 7, 1), date(2026, 11, 1)
    row = rows_by_group(interpret_series([sample]), start, end)[G.COCAINE]

    def on(month, dom):
        return state_on(row, start, date(2026, month, dom))

    assert on(7, 19) is Coverage.NONE
    assert on(7, 20) is Coverage.NEGATIVE  # 2 to 3 cm
    assert on(8, 18) is Coverage.NEGATIVE
    assert on(8, 19) is Coverage.POSITIVE  # 1 to 2 cm, 19 August to 18 September
    assert on(9, 18) is Coverage.POSITIVE
    assert on(9, 19) is Coverage.NEGATIVE  # 0 to 1 cm
    assert on(10, 18) is Coverage.NEGATIVE
    assert on(10, 19) is Coverage.NONE  # still under the scalp when collected
    assert on(11, 1) is Coverage.NONE


def test_days_outside_any_window_are_not_covered():
    start, end = D - timedelta(days=10), D + timedelta(days=10)
    rows = rows_by_group(interpret_series([urine(lab(S.COCAINE, "0"))]), start, end)
    cocaine = rows[G.COCAINE]
    assert cocaine.days.count(Coverage.NEGATIVE) == 4  # D-3 .. D
    assert cocaine.days.count(Coverage.NONE) == len(cocaine.days) - 4
    assert cocaine.share(Coverage.NEGATIVE) == pytest.approx(4 / 21)


# ------------------------------------------------------------------------------- purity


@pytest.mark.parametrize("module", ["testing_results.interpret", "testing_results.checks"])
def test_interpretation_and_checks_load_without_flask_or_a_database(module):
    """Pure rules: the importer, scheduled jobs and the API use them without the web app."""
    code = (
        "import importlib, sys\n"
        f"importlib.import_module({module!r})\n"
        "web = ('flask', 'flask_sqlalchemy', 'sqlalchemy')\n"
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules} & set(web))))\n"
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter, fixed code
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.stdout.split() == [], f"{module} imports {done.stdout.split()}"
