"""The API's fixed names for substances, kinds of test and units, and the ONE table from each
to testing_results/panels.py. Integrations rely on these names: never rename one.

Substance codes are the lower-case names of DOMAIN.md's tables. Several name an analyte that
panels.py counts under a wider substance (docs/decisions/0026-api-test-results.md):
benzoylecgonine is cocaine's metabolite, morphine and codeine are opiates, EtG is alcohol as
hair measures it, and 6-MAM in hair is one of the opiates (DOMAIN.md: "opiates (morphine,
codeine, 6-MAM) 0.2"). The code itself is not stored: a reading comes back under its panel
substance (morphine as `opiates`, hair alcohol as `etg`).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from fdac.api.units import API_UNITS
from testing_results.panels import HAIR_ETG_UNIT, MATRICES, Matrix, Substance, default_cutoff

KINDS = ("peth", "hair", "breath", "oral_fluid", "urine")
KIND_MATRIX = {kind: Matrix(kind) for kind in KINDS}  # the API's kinds are the matrices' values
STATUSES = ("result", "missed", "refused", "unable_to_provide")
SINGLE_VALUE_KINDS = ("peth", "breath")  # one reading of alcohol: value and unit
PANEL_KINDS = ("oral_fluid", "urine")  # substances
KIND_LABELS = {
    "peth": "PEth",
    "hair": "hair",
    "breath": "breath",
    "oral_fluid": "oral fluid",
    "urine": "urine",
}


@dataclass(frozen=True)
class Code:
    substance: Substance  # what panels.py counts it as
    only: tuple[Matrix, ...] = ()  # reported only in these matrices (empty: wherever it is tested)
    instead: dict[Matrix, Substance] = field(default_factory=dict)  # another substance there
    # Matrices where panels.py's default cut-off is not this analyte's: the lab's is required.
    own_cutoff: tuple[Matrix, ...] = ()


SUBSTANCE_CODES: dict[str, Code] = {
    "alcohol": Code(Substance.ALCOHOL),
    "etg": Code(Substance.ALCOHOL, only=(Matrix.HAIR,)),
    "cocaine": Code(Substance.COCAINE),
    # Urine's cocaine cut-off (150) is benzoylecgonine's; hair's (0.5) is not (BZE: 0.05).
    "benzoylecgonine": Code(Substance.COCAINE, own_cutoff=(Matrix.HAIR,)),
    "cannabis": Code(Substance.CANNABIS),
    "amphetamine": Code(Substance.AMPHETAMINE),
    "methamphetamine": Code(Substance.METHAMPHETAMINE),
    "mdma": Code(Substance.MDMA),
    "opiates": Code(Substance.OPIATES),
    "morphine": Code(Substance.OPIATES),
    "codeine": Code(Substance.OPIATES),
    "6-mam": Code(Substance.SIX_MAM, instead={Matrix.HAIR: Substance.OPIATES}),
    "methadone": Code(Substance.METHADONE),
    "buprenorphine": Code(Substance.BUPRENORPHINE),
    "benzodiazepines": Code(Substance.BENZODIAZEPINES),
}

# The API's units and panels.py's spelling of each: fdac.api.units is the one table.
UNITS: dict[str, str] = {api: panel for panel, api in API_UNITS.items()}
API_UNIT = {panel: api for api, panel in UNITS.items()}


def substance_for(code: str, matrix: Matrix) -> Substance | None:
    """The panel substance a code is stored as in `matrix`; None: not tested there."""
    info = SUBSTANCE_CODES.get(code)
    if info is None or (info.only and matrix not in info.only):
        return None
    substance = info.instead.get(matrix, info.substance)
    return substance if substance in MATRICES[matrix].substances else None


def is_etg(matrix: Matrix, substance: Substance) -> bool:
    """Hair alcohol is EtG, read against its bands rather than a cut-off."""
    return matrix is Matrix.HAIR and substance is Substance.ALCOHOL


def needs_cutoff(code: str, matrix: Matrix) -> bool:
    """Whether a value of this code needs the lab's cut-off with it (no default applies)."""
    substance = substance_for(code, matrix)
    if substance is None or is_etg(matrix, substance):
        return False
    return matrix in SUBSTANCE_CODES[code].own_cutoff or default_cutoff(matrix, substance) is None


def unit_of(matrix: Matrix, substance: Substance | None = None) -> str:
    """The API unit of a concentration of `substance` in `matrix`."""
    if substance is not None and is_etg(matrix, substance):
        return API_UNIT[HAIR_ETG_UNIT]
    return API_UNIT[MATRICES[matrix].unit]


def code_of(matrix: Matrix, substance: Substance) -> str:
    """The code a stored reading is given back under."""
    return "etg" if is_etg(matrix, substance) else substance.value


def default_cutoff_for(code: str, matrix: Matrix) -> Decimal | None:
    """The cut-off that applies when a lab sends none (None: the lab's is required or EtG)."""
    substance = substance_for(code, matrix)
    if substance is None or needs_cutoff(code, matrix) or is_etg(matrix, substance):
        return None
    return default_cutoff(matrix, substance)
