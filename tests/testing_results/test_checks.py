"""What the team cannot enter: impossible dates, readings and hair segments, each message on the
field it belongs to (shared/DOMAIN.md, "Testing")."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from testing_results.checks import check_dates, check_values
from testing_results.interpret import Reading, Sample, Segment, Status, SubstanceReading
from testing_results.panels import Matrix, Substance

S = Substance
TODAY = date(2026, 6, 15)
ENTERED_FDAC = date(2026, 3, 3)


# ------------------------------------------------------------------------------ builders


def dec(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def lab(substance: Substance, value, cutoff=None, segment=None) -> SubstanceReading:
    return SubstanceReading(substance, value=dec(value), cutoff=dec(cutoff), segment=segment)


def screen(substance: Substance, answer: Reading) -> SubstanceReading:
    return SubstanceReading(substance, screen=answer)


def sample(matrix: Matrix, *readings, value=None, creatinine=None, segments=()) -> Sample:
    return Sample(
        matrix,
        TODAY,
        value=dec(value),
        creatinine_mg_dl=dec(creatinine),
        readings=readings,
        segments=tuple(Segment(dec(a), dec(b)) for a, b in segments),
    )


def urine(*readings, creatinine=None) -> Sample:
    return sample(Matrix.URINE, *readings, creatinine=creatinine)


def hair(*readings, segments=((0, 3),)) -> Sample:
    return sample(Matrix.HAIR, *readings, segments=segments)


def problems(errors) -> list[tuple[str | None, str]]:
    return [(e.field, e.message) for e in errors]


def fields(errors) -> list[str | None]:
    return [e.field for e in errors]


def dates(collected_on, reported_on=None):
    return check_dates(
        collected_on, reported_on=reported_on, entered_fdac_on=ENTERED_FDAC, today=TODAY
    )


# ---------------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("collected_on", "fine"),
    [
        (TODAY - timedelta(days=1), True),
        (TODAY, True),
        (TODAY + timedelta(days=1), False),
    ],
)
def test_a_sample_cannot_be_collected_in_the_future(collected_on, fine):
    errors = dates(collected_on)
    if fine:
        assert errors == []
    else:
        assert problems(errors) == [("collected_on", "Date collected must be today or in the past")]


@pytest.mark.parametrize(
    ("collected_on", "fine"),
    [
        (ENTERED_FDAC - timedelta(days=1), False),
        (ENTERED_FDAC, True),
        (ENTERED_FDAC + timedelta(days=1), True),
    ],
)
def test_a_sample_cannot_be_collected_before_the_family_entered_fdac(collected_on, fine):
    errors = dates(collected_on)
    if fine:
        assert errors == []
    else:
        (error,) = errors
        assert error.field == "collected_on"
        assert "3 March 2026" in error.message
        assert "entered FDAC" in error.message


@pytest.mark.parametrize(
    ("reported_on", "fine"),
    [
        (date(2026, 5, 9), False),
        (date(2026, 5, 10), True),
        (date(2026, 5, 11), True),
        (TODAY, True),
    ],
)
def test_a_result_cannot_be_reported_before_it_was_collected(reported_on, fine):
    errors = dates(date(2026, 5, 10), reported_on)
    if fine:
        assert errors == []
    else:
        assert problems(errors) == [
            ("reported_on", "Date reported must be on or after the date collected")
        ]


def test_a_result_cannot_be_reported_in_the_future():
    errors = dates(TODAY, TODAY + timedelta(days=1))
    assert fields(errors) == ["reported_on"]
    assert "today or in the past" in errors[0].message


def test_a_result_with_no_report_date_yet_is_fine():
    assert dates(date(2026, 5, 10), None) == []


# ---------------------------------------------------------------------------- good values


@pytest.mark.parametrize(
    "good",
    [
        pytest.param(
            urine(lab(S.COCAINE, "0"), lab(S.CANNABIS, "60"), creatinine="80"), id="urine"
        ),
        pytest.param(urine(screen(S.COCAINE, Reading.POSITIVE)), id="urine-screen"),
        pytest.param(
            sample(Matrix.ORAL_FLUID, lab(S.BENZODIAZEPINES, "3", cutoff="10")), id="oral-fluid"
        ),
        pytest.param(sample(Matrix.BREATH, value="0"), id="breath-zero"),
        pytest.param(sample(Matrix.PETH, value="45"), id="peth"),
        pytest.param(
            hair(
                lab(S.COCAINE, "0.6", segment=0),
                lab(S.ALCOHOL, "12", segment=1),
                segments=((0, 1), (1, 3)),
            ),
            id="hair-adjacent-segments",
        ),
    ],
)
def test_a_sensible_result_has_no_problems(good):
    assert check_values(good) == []


@pytest.mark.parametrize("status", [Status.MISSED, Status.REFUSED, Status.UNABLE_TO_PROVIDE])
def test_a_test_that_did_not_happen_needs_no_readings(status):
    assert check_values(Sample(Matrix.URINE, TODAY, status=status)) == []


# ----------------------------------------------------------------------------- bad values


@pytest.mark.parametrize(("value", "fine"), [("-0.1", False), ("0", True), ("0.1", True)])
def test_a_concentration_cannot_be_negative(value, fine):
    errors = check_values(urine(lab(S.COCAINE, "0"), lab(S.CANNABIS, value)))
    if fine:
        assert errors == []
    else:
        assert problems(errors) == [
            ("readings.1.value", "Cannabis (THC) concentration must be 0 or more")
        ]


def test_a_cut_off_cannot_be_negative():
    errors = check_values(urine(lab(S.COCAINE, "10", cutoff="-1")))
    assert fields(errors) == ["readings.0.cutoff"]


@pytest.mark.parametrize(("creatinine", "fine"), [("-0.1", False), ("0", True), ("19.9", True)])
def test_creatinine_cannot_be_negative(creatinine, fine):
    errors = check_values(urine(lab(S.COCAINE, "0"), creatinine=creatinine))
    if fine:
        assert errors == []
    else:
        assert problems(errors) == [("creatinine_mg_dl", "Creatinine must be 0 or more")]


@pytest.mark.parametrize("matrix", [Matrix.BREATH, Matrix.PETH])
def test_a_breath_or_peth_reading_cannot_be_negative(matrix):
    errors = check_values(sample(matrix, value="-1"))
    assert fields(errors) == ["value"]


@pytest.mark.parametrize(
    ("matrix", "substance"),
    [
        (Matrix.ORAL_FLUID, S.METHADONE),
        (Matrix.ORAL_FLUID, S.ALCOHOL),
        (Matrix.URINE, S.SIX_MAM),
        (Matrix.URINE, S.ALCOHOL),
        (Matrix.HAIR, S.BUPRENORPHINE),
    ],
)
def test_a_substance_not_in_the_matrixs_panel_is_refused(matrix, substance):
    s = sample(matrix, lab(S.COCAINE, "0", segment=0), lab(substance, "1", segment=0))
    if matrix is Matrix.HAIR:
        s = hair(*s.readings)
    errors = check_values(s)
    assert fields(errors) == ["readings.1.substance"]
    assert substance.label in errors[0].message
    assert "not tested" in errors[0].message


def test_hair_benzodiazepines_need_the_labs_cut_off():
    errors = check_values(
        hair(lab(S.COCAINE, "0.1", segment=0), lab(S.BENZODIAZEPINES, "0.1", segment=0))
    )
    assert problems(errors) == [
        ("readings.1.cutoff", "Enter the lab's cut-off for benzodiazepines")
    ]


def test_oral_fluid_benzodiazepines_need_the_devices_or_labs_cut_off():
    errors = check_values(sample(Matrix.ORAL_FLUID, lab(S.BENZODIAZEPINES, "3")))
    assert problems(errors) == [
        ("readings.0.cutoff", "Enter the lab's cut-off for benzodiazepines")
    ]


def test_urine_benzodiazepines_use_the_european_default_cut_off():
    assert check_values(urine(lab(S.BENZODIAZEPINES, "250"))) == []


def test_hair_segments_cannot_overlap():
    errors = check_values(
        hair(
            lab(S.COCAINE, "0.1", segment=0),
            lab(S.COCAINE, "0.1", segment=1),
            segments=((0, 1), ("0.5", 2)),
        )
    )
    (error,) = errors
    assert error.field == "segments.1"
    assert "Segment 2" in error.message
    assert "segment 1" in error.message
    assert "overlaps" in error.message


def test_hair_segments_that_touch_do_not_overlap():
    errors = check_values(
        hair(
            lab(S.COCAINE, "0.1", segment=0),
            lab(S.COCAINE, "0.1", segment=1),
            segments=((1, 2), (0, 1)),
        )
    )
    assert errors == []


@pytest.mark.parametrize(("from_cm", "to_cm"), [(2, 1), (1, 1), (-1, 1)])
def test_a_hair_segment_must_end_after_it_starts(from_cm, to_cm):
    errors = check_values(hair(lab(S.COCAINE, "0.1", segment=0), segments=((from_cm, to_cm),)))
    assert fields(errors) == ["segments.0"]
    assert "Segment 1" in errors[0].message


def test_a_hair_result_needs_at_least_one_segment():
    errors = check_values(hair(lab(S.COCAINE, "0.1", segment=0), segments=()))
    assert "segments" in fields(errors)


def test_a_hair_reading_needs_its_segment():
    errors = check_values(hair(lab(S.COCAINE, "0.1", segment=None)))
    assert fields(errors) == ["readings.0"]


@pytest.mark.parametrize(
    ("matrix", "message"),
    [(Matrix.BREATH, "Enter the breath reading"), (Matrix.PETH, "Enter the PEth reading")],
)
def test_a_breath_or_peth_result_needs_its_reading(matrix, message):
    (error,) = check_values(sample(matrix))
    assert (error.field, error.message) == ("value", message)


@pytest.mark.parametrize(
    "readings",
    [
        pytest.param((), id="no-readings"),
        pytest.param(
            (screen(S.COCAINE, Reading.NOT_TESTED), screen(S.CANNABIS, Reading.NOT_TESTED)),
            id="every-substance-not-tested",
        ),
    ],
)
@pytest.mark.parametrize("matrix", [Matrix.URINE, Matrix.ORAL_FLUID])
def test_a_panel_with_no_result_at_all_is_refused(matrix, readings):
    errors = check_values(sample(matrix, *readings))
    assert problems(errors) == [("readings", "Enter at least one substance's result")]
