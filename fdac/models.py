"""Every model, gathered so the migrations and the tests see the whole schema."""

from fdac.audit.models import AuditEvent
from fdac.auth.models import User
from fdac.cases.models import Case, Child, Parent, PhaseChange
from fdac.teams.models import Team
from testing_results.models import (
    HairSegment,
    LabImport,
    Prescription,
    SubstanceResult,
    TestResult,
)

__all__ = [
    "AuditEvent",
    "Case",
    "Child",
    "HairSegment",
    "LabImport",
    "Parent",
    "PhaseChange",
    "Prescription",
    "SubstanceResult",
    "Team",
    "TestResult",
    "User",
]
