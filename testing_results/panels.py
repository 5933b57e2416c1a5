"""The one table of what is tested, in what, against which cut-off, and how far back it sees.

Every figure carries its source (shared/DOMAIN.md). Interpretation, forms, the importer, charts
and reports all read from here: adding a substance is one row.
"""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class Matrix(StrEnum):
    """What was sampled."""

    BREATH = "breath"
    ORAL_FLUID = "oral_fluid"
    URINE = "urine"
    PETH = "peth"
    HAIR = "hair"

    @property
    def label(self) -> str:
        return MATRICES[self].label


class Substance(StrEnum):
    ALCOHOL = "alcohol"  # breath reading, PEth, hair EtG: alcohol in its own matrix's measure
    COCAINE = "cocaine"
    CANNABIS = "cannabis"
    AMPHETAMINE = "amphetamine"
    METHAMPHETAMINE = "methamphetamine"
    MDMA = "mdma"
    OPIATES = "opiates"
    SIX_MAM = "6-mam"  # heroin-specific metabolite
    METHADONE = "methadone"
    BUPRENORPHINE = "buprenorphine"
    BENZODIAZEPINES = "benzodiazepines"

    @property
    def label(self) -> str:
        return SUBSTANCES[self].label

    @property
    def group(self) -> "SubstanceGroup":
        return SUBSTANCES[self].group


class SubstanceGroup(StrEnum):
    """How results are charted: one chart per group."""

    ALCOHOL = "alcohol"
    COCAINE = "cocaine"
    CANNABIS = "cannabis"
    AMPHETAMINES = "amphetamines"
    OPIOIDS = "opioids"
    BENZODIAZEPINES = "benzodiazepines"

    @property
    def label(self) -> str:
        return GROUP_LABELS[self]


@dataclass(frozen=True)
class SubstanceInfo:
    label: str
    group: SubstanceGroup


SUBSTANCES: dict[Substance, SubstanceInfo] = {
    Substance.ALCOHOL: SubstanceInfo("Alcohol", SubstanceGroup.ALCOHOL),
    Substance.COCAINE: SubstanceInfo("Cocaine", SubstanceGroup.COCAINE),
    Substance.CANNABIS: SubstanceInfo("Cannabis (THC)", SubstanceGroup.CANNABIS),
    Substance.AMPHETAMINE: SubstanceInfo("Amphetamine", SubstanceGroup.AMPHETAMINES),
    Substance.METHAMPHETAMINE: SubstanceInfo("Methamphetamine", SubstanceGroup.AMPHETAMINES),
    Substance.MDMA: SubstanceInfo("MDMA", SubstanceGroup.AMPHETAMINES),
    Substance.OPIATES: SubstanceInfo("Opiates (morphine, codeine)", SubstanceGroup.OPIOIDS),
    Substance.SIX_MAM: SubstanceInfo("6-MAM (heroin)", SubstanceGroup.OPIOIDS),
    Substance.METHADONE: SubstanceInfo("Methadone", SubstanceGroup.OPIOIDS),
    Substance.BUPRENORPHINE: SubstanceInfo("Buprenorphine", SubstanceGroup.OPIOIDS),
    Substance.BENZODIAZEPINES: SubstanceInfo("Benzodiazepines", SubstanceGroup.BENZODIAZEPINES),
}

GROUP_LABELS = {
    SubstanceGroup.ALCOHOL: "Alcohol",
    SubstanceGroup.COCAINE: "Cocaine",
    SubstanceGroup.CANNABIS: "Cannabis",
    SubstanceGroup.AMPHETAMINES: "Amphetamines",
    SubstanceGroup.OPIOIDS: "Opiates and opioids",
    SubstanceGroup.BENZODIAZEPINES: "Benzodiazepines",
}


@dataclass(frozen=True)
class MatrixInfo:
    label: str
    unit: str  # the unit of a concentration in this matrix
    window_days: int | None  # detection window before collection; None: per hair segment
    substances: tuple[Substance, ...]  # what a panel of this matrix reports, in order
    source: str


# Detection windows (configurable defaults), DOMAIN.md "Detection windows".
MATRICES: dict[Matrix, MatrixInfo] = {
    Matrix.BREATH: MatrixInfo(
        "Breath alcohol", "µg/100mL", 0, (Substance.ALCOHOL,), "Same day (hours)"
    ),
    Matrix.ORAL_FLUID: MatrixInfo(
        "Oral fluid (swab)",
        "ng/mL",
        2,
        (
            Substance.COCAINE,
            Substance.CANNABIS,
            Substance.AMPHETAMINE,
            Substance.METHAMPHETAMINE,
            Substance.MDMA,
            Substance.OPIATES,
            Substance.SIX_MAM,
            Substance.BENZODIAZEPINES,
        ),
        "About 2 days",
    ),
    Matrix.URINE: MatrixInfo(
        "Urine",
        "ng/mL",
        3,
        (
            Substance.COCAINE,
            Substance.CANNABIS,
            Substance.AMPHETAMINE,
            Substance.METHAMPHETAMINE,
            Substance.MDMA,
            Substance.OPIATES,
            Substance.METHADONE,
            Substance.BUPRENORPHINE,
            Substance.BENZODIAZEPINES,
        ),
        "About 3 days (cannabis in frequent users: much longer)",
    ),
    Matrix.PETH: MatrixInfo("PEth (blood)", "ng/mL", 28, (Substance.ALCOHOL,), "About 28 days"),
    Matrix.HAIR: MatrixInfo(
        "Hair strand",
        "ng/mg",
        None,
        (
            Substance.COCAINE,
            Substance.CANNABIS,
            Substance.AMPHETAMINE,
            Substance.METHAMPHETAMINE,
            Substance.MDMA,
            Substance.OPIATES,
            Substance.METHADONE,
            Substance.BENZODIAZEPINES,
            Substance.ALCOHOL,  # EtG, optional, in pg/mg with its own bands
        ),
        "Per segment: about 1 cm a month, 14 days to emerge",
    ),
}

POINT_OF_CARE_MATRICES = (Matrix.BREATH, Matrix.ORAL_FLUID, Matrix.URINE)
CONFIRMABLE_MATRICES = (Matrix.ORAL_FLUID, Matrix.URINE)

# Hair growth (DOMAIN.md): about 1 cm a month, and about 14 days to appear above the scalp.
HAIR_DAYS_PER_CM = 30
HAIR_EMERGENCE_DAYS = 14
HAIR_ETG_UNIT = "pg/mg"


@dataclass(frozen=True)
class Cutoff:
    value: Decimal | None  # None: the lab's or device's own cut-off is required
    source: str


_EUROPEAN_URINE = "European guidelines for workplace drug testing in urine"
_US_ORAL_FLUID = "US federal (SAMHSA) oral fluid cut-offs, 2023"
_SOHT_HAIR = "Society of Hair Testing consensus"

# Positive at or above these concentrations (DOMAIN.md "Interpretation defaults").
CUTOFFS: dict[tuple[Matrix, Substance], Cutoff] = {
    # Urine screen, ng/mL. "Amphetamines 500" covers amphetamine, methamphetamine and MDMA.
    (Matrix.URINE, Substance.AMPHETAMINE): Cutoff(Decimal("500"), _EUROPEAN_URINE),
    (Matrix.URINE, Substance.METHAMPHETAMINE): Cutoff(Decimal("500"), _EUROPEAN_URINE),
    (Matrix.URINE, Substance.MDMA): Cutoff(Decimal("500"), _EUROPEAN_URINE),
    (Matrix.URINE, Substance.BENZODIAZEPINES): Cutoff(Decimal("200"), _EUROPEAN_URINE),
    (Matrix.URINE, Substance.CANNABIS): Cutoff(Decimal("50"), _EUROPEAN_URINE),
    (Matrix.URINE, Substance.COCAINE): Cutoff(Decimal("150"), _EUROPEAN_URINE),  # BZE
    (Matrix.URINE, Substance.OPIATES): Cutoff(Decimal("300"), _EUROPEAN_URINE),
    (Matrix.URINE, Substance.METHADONE): Cutoff(Decimal("300"), _EUROPEAN_URINE),
    (Matrix.URINE, Substance.BUPRENORPHINE): Cutoff(Decimal("5"), _EUROPEAN_URINE),
    # Oral fluid screen, ng/mL.
    (Matrix.ORAL_FLUID, Substance.CANNABIS): Cutoff(Decimal("4"), _US_ORAL_FLUID),
    (Matrix.ORAL_FLUID, Substance.COCAINE): Cutoff(Decimal("15"), _US_ORAL_FLUID),
    (Matrix.ORAL_FLUID, Substance.OPIATES): Cutoff(Decimal("30"), _US_ORAL_FLUID),
    (Matrix.ORAL_FLUID, Substance.SIX_MAM): Cutoff(Decimal("4"), _US_ORAL_FLUID),
    (Matrix.ORAL_FLUID, Substance.AMPHETAMINE): Cutoff(Decimal("50"), _US_ORAL_FLUID),
    (Matrix.ORAL_FLUID, Substance.METHAMPHETAMINE): Cutoff(Decimal("50"), _US_ORAL_FLUID),
    (Matrix.ORAL_FLUID, Substance.MDMA): Cutoff(Decimal("50"), _US_ORAL_FLUID),
    (Matrix.ORAL_FLUID, Substance.BENZODIAZEPINES): Cutoff(None, "the device's or lab's cut-off"),
    # Hair, ng/mg (cocaine's metabolites such as benzoylecgonine: 0.05).
    (Matrix.HAIR, Substance.COCAINE): Cutoff(Decimal("0.5"), _SOHT_HAIR),
    (Matrix.HAIR, Substance.CANNABIS): Cutoff(Decimal("0.05"), _SOHT_HAIR),
    (Matrix.HAIR, Substance.AMPHETAMINE): Cutoff(Decimal("0.2"), _SOHT_HAIR),
    (Matrix.HAIR, Substance.METHAMPHETAMINE): Cutoff(Decimal("0.2"), _SOHT_HAIR),
    (Matrix.HAIR, Substance.MDMA): Cutoff(Decimal("0.2"), _SOHT_HAIR),
    (Matrix.HAIR, Substance.OPIATES): Cutoff(Decimal("0.2"), _SOHT_HAIR),
    (Matrix.HAIR, Substance.METHADONE): Cutoff(Decimal("0.2"), _SOHT_HAIR),
    (Matrix.HAIR, Substance.BENZODIAZEPINES): Cutoff(None, "the lab's cut-off (required)"),
}

# Urine creatinine below this is dilute: not a negative (DOMAIN.md).
DILUTE_CREATININE_MG_DL = Decimal("20")

# Breath, µg of alcohol per 100 mL: any reading above 0 is alcohol detected; 35 and above is
# also over the drink-drive limit in England and Wales (Road Traffic Act 1988 s.11), for context.
BREATH_DETECTED_ABOVE = Decimal("0")
BREATH_DRINK_DRIVE_LIMIT = Decimal("35")


@dataclass(frozen=True)
class Band:
    key: str
    label: str
    meaning: str
    positive: bool  # counts as a positive for alcohol in compliance figures
    upper: Decimal | None  # the band holds values below this (None: no upper end)
    upper_inclusive: bool = False


# PEth, ng/mL (PEth-NET consensus, 2022): < 20, 20 to 200 inclusive, > 200.
PETH_BANDS = (
    Band(
        "consistent_with_abstinence",
        "Below 20 ng/mL",
        "Consistent with abstinence or low alcohol consumption over the previous weeks",
        False,
        Decimal("20"),
    ),
    Band(
        "significant_drinking",
        "20 to 200 ng/mL",
        "Significant drinking over the previous weeks",
        True,
        Decimal("200"),
        upper_inclusive=True,
    ),
    Band("excessive_drinking", "Above 200 ng/mL", "Excessive drinking", True, None),
)
PETH_SOURCE = "PEth-NET consensus, 2022 (half-life about 8 days)"

# Hair EtG, pg/mg (Society of Hair Testing consensus, 2016 revision): < 5, 5 up to 30, >= 30.
HAIR_ETG_BANDS = (
    Band(
        "consistent_with_abstinence",
        "Below 5 pg/mg",
        "Consistent with abstinence from alcohol over the period",
        False,
        Decimal("5"),
    ),
    Band(
        "repeated_drinking",
        "5 to under 30 pg/mg",
        "Repeated alcohol consumption over the period",
        True,
        Decimal("30"),
    ),
    Band(
        "chronic_excessive_drinking",
        "30 pg/mg or more",
        "Chronic excessive drinking over the period",
        True,
        None,
    ),
)
HAIR_ETG_SOURCE = "Society of Hair Testing consensus, 2016 revision"


def default_cutoff(matrix: Matrix, substance: Substance) -> Decimal | None:
    cutoff = CUTOFFS.get((matrix, substance))
    return cutoff.value if cutoff else None
