"""Every model, gathered so the migrations and the tests see the whole schema."""

from fdac.api.models import ApiToken
from fdac.audit.models import AuditEvent
from fdac.auth.models import User
from fdac.cases.models import Case, Child, Parent, PhaseChange
from fdac.contacts.models import CaseContactTarget, Contact, TeamContactTarget
from fdac.court_documents.models import CourtDocument, DocumentVersion
from fdac.flags.models import Flag
from fdac.graduations.models import (
    Ceremony,
    Graduation,
    GraduationCriteria,
    SupportContact,
)
from fdac.teams.models import Team
from hearings.models import (
    CalendarFeed,
    ClosureDay,
    Extension,
    Hearing,
    HearingAttendance,
    HearingChange,
    HearingOutcome,
    JudgeAbsence,
    NlrSchedule,
    Sitting,
)
from testing_results.models import (
    HairSegment,
    LabImport,
    Prescription,
    SubstanceResult,
    TestResult,
)

__all__ = [
    "ApiToken",
    "AuditEvent",
    "CalendarFeed",
    "CaseContactTarget",
    "Ceremony",
    "Contact",
    "CourtDocument",
    "DocumentVersion",
    "Graduation",
    "GraduationCriteria",
    "SupportContact",
    "TeamContactTarget",
    "ClosureDay",
    "Extension",
    "Flag",
    "Hearing",
    "HearingAttendance",
    "HearingChange",
    "HearingOutcome",
    "JudgeAbsence",
    "NlrSchedule",
    "Sitting",
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
