"""Published evaluation figures a team's own outcomes are shown beside. Source: DOMAIN.md."""

from dataclasses import dataclass


@dataclass(frozen=True)
class PublishedFigures:
    source: str
    reunified_fdac: float  # share of children reunified with their primary carer
    reunified_comparison: float
    stopped_fdac: float  # share of parents who stopped misusing by the end of the case
    stopped_comparison: float


PUBLISHED = (
    PublishedFigures("Foundations evaluation (2023)", 0.52, 0.125, 0.336, 0.081),
    PublishedFigures("Lancaster University study (2016)", 0.37, 0.25, 0.46, 0.30),
)
