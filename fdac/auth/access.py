"""THE permission check. Every view, export and API endpoint asks `can(user, action, case)`;
every list of cases comes from `visible_cases(user)`. Both read the same two tables below,
so a list can never show a case its page would refuse.

`cases_in_reach(user)` is the scope alone, for a role that acts on cases it may not list:
a laboratory finds the case a result is for by its reference (the API), then asks can().
"""

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Select, false, select

from fdac.auth.roles import Role


class Action(StrEnum):
    # Actions about the system or a team, asked with case=None.
    MANAGE_USERS = "manage_users"
    LIST_CASES = "list_cases"
    CREATE_CASE = "create_case"
    IMPORT_RESULTS = "import_results"  # a lab file spans many cases: each row is checked too
    MANAGE_COURT = "manage_court"  # sittings, slots, judges' absences, closure days
    VIEW_CALENDAR = "view_calendar"  # the hearings calendar, the day's list and iCal feeds
    VIEW_FLAGS = "view_flags"  # the manager's home page
    MANAGE_TEAM_SETTINGS = "manage_team_settings"  # contact targets, graduation criteria
    VIEW_CASELOAD = "view_caseload"  # a practitioner's own cases and who is below target
    MANAGE_GRADUATES = "manage_graduates"  # ceremonies, the graduates' group, mentors
    VIEW_OUTCOMES = "view_outcomes"  # the programme's outcomes beside the published figures
    EXPORT_PROGRAMME = "export_programme"  # every case of the team for a year, for commissioners
    # Actions about one case.
    VIEW_CASE = "view_case"
    VIEW_CASE_HISTORY = "view_case_history"
    EDIT_CASE = "edit_case"
    EDIT_PEOPLE = "edit_people"
    ALLOCATE = "allocate"
    CHANGE_PHASE = "change_phase"
    VIEW_RESULTS = "view_results"
    RECORD_RESULTS = "record_results"  # enter, confirm, amend results; prescriptions
    VIEW_HEARINGS = "view_hearings"
    PLAN_HEARINGS = "plan_hearings"  # plan reviews, book, move and cancel hearings
    RECORD_HEARING = "record_hearing"  # attendance, goals and the note after a hearing
    EXTEND_PROCEEDINGS = "extend_proceedings"  # record an extension of the 26 weeks
    RESOLVE_FLAG = "resolve_flag"
    VIEW_CONTACTS = "view_contacts"  # contacts and compliance
    RECORD_CONTACT = "record_contact"
    SET_CONTACT_TARGET = "set_contact_target"  # a case's own target, with a reason
    VIEW_GRADUATION = "view_graduation"  # criteria met and not, the graduation if confirmed
    CONFIRM_GRADUATION = "confirm_graduation"  # a manager's decision, also on a closed case
    VIEW_SUMMARY = "view_summary"  # the judge's progress summary of a period
    EXPORT_REPORT = "export_report"  # a case's summary as Excel or PDF: audited, not a write
    # Everything held about one parent (a subject access request): audited, not a write.
    EXPORT_SUBJECT_ACCESS = "export_subject_access"
    # The NLR review report and the note of the hearing: drafted, approved, issued, frozen.
    VIEW_COURT_DOCUMENTS = "view_court_documents"  # judges see issued versions only
    DRAFT_COURT_DOCUMENT = "draft_court_document"
    APPROVE_COURT_DOCUMENT = "approve_court_document"  # approve and issue to the parties


CASELESS_ACTIONS = frozenset(
    {
        Action.MANAGE_USERS,
        Action.LIST_CASES,
        Action.CREATE_CASE,
        Action.IMPORT_RESULTS,
        Action.MANAGE_COURT,
        Action.VIEW_CALENDAR,
        Action.VIEW_FLAGS,
        Action.MANAGE_TEAM_SETTINGS,
        Action.VIEW_CASELOAD,
        Action.MANAGE_GRADUATES,
        Action.VIEW_OUTCOMES,
        Action.EXPORT_PROGRAMME,
    }
)
# A closed case is a record of what happened: it is read, not changed.
WRITE_ACTIONS = frozenset(
    {
        Action.EDIT_CASE,
        Action.EDIT_PEOPLE,
        Action.ALLOCATE,
        Action.CHANGE_PHASE,
        Action.RECORD_RESULTS,
        Action.PLAN_HEARINGS,
        Action.RECORD_HEARING,
        Action.EXTEND_PROCEEDINGS,
        Action.RECORD_CONTACT,
        Action.SET_CONTACT_TARGET,
        Action.DRAFT_COURT_DOCUMENT,
        Action.APPROVE_COURT_DOCUMENT,
    }
)

PERMISSIONS: dict[Role, frozenset[Action]] = {
    # Admins run accounts and see no case data at all.
    Role.ADMIN: frozenset({Action.MANAGE_USERS}),
    Role.TEAM_MANAGER: frozenset(
        {
            Action.LIST_CASES,
            Action.CREATE_CASE,
            Action.VIEW_CASE,
            Action.VIEW_CASE_HISTORY,
            Action.EDIT_CASE,
            Action.EDIT_PEOPLE,
            Action.ALLOCATE,
            Action.CHANGE_PHASE,
            Action.VIEW_RESULTS,
            Action.RECORD_RESULTS,
            Action.IMPORT_RESULTS,
            Action.MANAGE_COURT,
            Action.VIEW_CALENDAR,
            Action.VIEW_FLAGS,
            Action.VIEW_HEARINGS,
            Action.PLAN_HEARINGS,
            Action.RECORD_HEARING,
            Action.EXTEND_PROCEEDINGS,
            Action.RESOLVE_FLAG,
            Action.MANAGE_TEAM_SETTINGS,
            Action.VIEW_CASELOAD,
            Action.MANAGE_GRADUATES,
            Action.VIEW_OUTCOMES,
            Action.VIEW_CONTACTS,
            Action.RECORD_CONTACT,
            Action.SET_CONTACT_TARGET,
            Action.VIEW_GRADUATION,
            Action.CONFIRM_GRADUATION,
            Action.VIEW_SUMMARY,
            Action.EXPORT_REPORT,
            Action.EXPORT_SUBJECT_ACCESS,
            Action.EXPORT_PROGRAMME,
            Action.VIEW_COURT_DOCUMENTS,
            Action.DRAFT_COURT_DOCUMENT,
            Action.APPROVE_COURT_DOCUMENT,
        }
    ),
    # Keyworkers keep the family's details current; structural changes are the manager's.
    # Substance misuse workers among them enter and import test results.
    Role.PRACTITIONER: frozenset(
        {
            Action.LIST_CASES,
            Action.VIEW_CASE,
            Action.VIEW_CASE_HISTORY,
            Action.EDIT_PEOPLE,
            Action.VIEW_RESULTS,
            Action.RECORD_RESULTS,
            Action.IMPORT_RESULTS,
            Action.VIEW_CALENDAR,
            Action.VIEW_HEARINGS,
            Action.RECORD_HEARING,
            Action.VIEW_CASELOAD,
            Action.MANAGE_GRADUATES,
            Action.VIEW_OUTCOMES,
            Action.VIEW_CONTACTS,
            Action.RECORD_CONTACT,
            Action.VIEW_GRADUATION,
            Action.VIEW_SUMMARY,
            Action.EXPORT_REPORT,
            Action.VIEW_COURT_DOCUMENTS,
            Action.DRAFT_COURT_DOCUMENT,
        }
    ),
    # Judges read; they never change the team's record. The court's diary is the manager's.
    Role.JUDGE: frozenset(
        {
            Action.LIST_CASES,
            Action.VIEW_CASE,
            Action.VIEW_RESULTS,
            Action.VIEW_CALENDAR,
            Action.VIEW_HEARINGS,
            Action.VIEW_CONTACTS,
            Action.VIEW_GRADUATION,
            Action.VIEW_SUMMARY,
            Action.EXPORT_REPORT,
            Action.VIEW_COURT_DOCUMENTS,
        }
    ),
    # A toxicology laboratory posts (adds and confirms) results for the cases of the teams it
    # serves, and reads nothing else: no case list, no case, no earlier results. The answer to
    # its own post (the stored result and its interpretation) is all it ever gets back.
    Role.LAB: frozenset({Action.RECORD_RESULTS}),
}


@dataclass(frozen=True)
class Scope:
    """The cases a role reaches: those whose `case_attr` equals the user's `user_attr`, or,
    with `many`, is one of the values of the user's `user_attr` (a collection)."""

    case_attr: str
    user_attr: str
    many: bool = False


# Which cases a role reaches. None: no case at all.
CASE_SCOPE: dict[Role, Scope | None] = {
    Role.ADMIN: None,
    Role.TEAM_MANAGER: Scope("team_id", "team_id"),
    Role.PRACTITIONER: Scope("team_id", "team_id"),
    Role.JUDGE: Scope("judge_id", "id"),  # only the cases allocated to them
    Role.LAB: Scope("team_id", "served_team_ids", many=True),  # the teams it serves
}


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def in_scope(user, case) -> bool:
    scope = CASE_SCOPE[user.role]
    if scope is None:
        return False
    mine = getattr(user, scope.user_attr)
    if scope.many:
        return getattr(case, scope.case_attr) in mine
    return mine is not None and getattr(case, scope.case_attr) == mine


def can(user, action: Action, case=None) -> bool:
    """May `user` do `action` (to `case`, for actions about one case)?"""
    if not _signed_in(user) or action not in PERMISSIONS[user.role]:
        return False
    if action in CASELESS_ACTIONS:
        return True
    if case is None:
        raise ValueError(f"{action} is about one case: pass the case")
    if not in_scope(user, case):
        return False
    return not (action in WRITE_ACTIONS and case.is_closed)


def visible_cases(user) -> Select:
    """A query for the cases `user` may see; every case list starts from this."""
    from fdac.cases.models import Case  # the model imports auth; keep this module importable

    if not can(user, Action.LIST_CASES):
        return select(Case).where(false())
    return cases_in_reach(user)


def cases_in_reach(user) -> Select:
    """A query for the cases in `user`'s scope, whether or not the role may list them.

    Only for finding one case by its reference before asking can() about it (a laboratory
    posting a result); a list of cases always comes from visible_cases().
    """
    from fdac.cases.models import Case  # the model imports auth; keep this module importable

    query = select(Case)
    scope = CASE_SCOPE[user.role] if _signed_in(user) else None
    if scope is None:
        return query.where(false())
    mine = getattr(user, scope.user_attr)
    column = getattr(Case, scope.case_attr)
    if scope.many:
        return query.where(column.in_(sorted(mine))) if mine else query.where(false())
    if mine is None:
        return query.where(false())
    return query.where(column == mine)
