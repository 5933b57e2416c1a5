"""What the case page shows about graduation: one line per parent and a link to the page."""

from dataclasses import dataclass
from datetime import date

from fdac.cases.models import Case
from fdac.cases.phases import Phase
from fdac.graduations import services

_SHOWN_IN = (Phase.FINAL_STAGE, Phase.CLOSED)


@dataclass(frozen=True)
class ParentLine:
    name: str
    met: int
    criteria: int
    graduated_on: date | None


@dataclass(frozen=True)
class GraduationSummary:
    parents: list[ParentLine]


def case_summary(case: Case, today: date) -> GraduationSummary | None:
    """Criteria met per parent, or the graduation; None before the final stage (unless a
    parent has graduated already), when graduation is not yet a question."""
    if case.phase not in _SHOWN_IN and not services.case_graduations(case):
        return None
    return GraduationSummary(
        [
            ParentLine(
                row.parent.name,
                row.met,
                len(row.checks),
                row.graduation.graduated_on if row.graduation else None,
            )
            for row in services.graduation_page(case, today)
        ]
    )
