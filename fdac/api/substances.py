"""GET /api/v1/substances: every substance code the API takes (the issue's fixed names), what
each counts as, and for each test of it the unit and the default cut-off, from the one table
in fdac/api/results/codes.py over testing_results/panels.py."""

from fdac.api.results.present import substance_list
from fdac.api.results.schemas import SubstanceListItem
from fdac.api.spec import ApiModel, api


class SubstanceList(ApiModel):
    items: list[SubstanceListItem]


@api(
    "GET",
    "/substances",
    summary="Every substance code, with each test's default cut-off and unit",
    answer=SubstanceList,
    tags=("reference",),
)
def substances():
    """The substance codes results use, and for each test of it the default cut-off and unit."""
    return SubstanceList.model_validate({"items": substance_list()})
