"""FDAC teams and the family court each one serves."""

from fdac.teams.models import Team

__all__ = ["Team"]
