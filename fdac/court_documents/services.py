"""Court documents' use cases: start, save a draft, submit, send back, issue, revise.

No Flask here. Each write commits, or raises a FieldError naming the form field and saves
nothing. The workflow's rules are workflow.py's; this module loads, checks, writes. Issuing
stores the progress summary as it was rendered then (the caller renders it from
fdac.reports.summary, the judge's own summary) with the header it was issued under.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from fdac import versions as record_versions
from fdac.cases.models import Case
from fdac.court_documents import workflow
from fdac.court_documents.kinds import DocumentKind, VersionStatus
from fdac.court_documents.models import CourtDocument, DocumentVersion
from fdac.court_documents.workflow import Step
from fdac.dates import uk_date, utc_now
from fdac.extensions import db
from fdac.reports.summary import default_period
from fdac.validation import FieldError
from hearings.kinds import HearingKind, HearingStatus
from hearings.models import Hearing
from hearings.saving import refuse, user_id

MAX_WORDS = 10_000  # characters in one of the author's sections
RACE = "Someone else changed this document just now. Check it and try again"


# ------------------------------------------------------------------------------- reading


def document_of(case: Case, document_id: int) -> CourtDocument | None:
    return db.session.scalar(
        select(CourtDocument)
        .where(CourtDocument.id == document_id, CourtDocument.case_id == case.id)
        .options(selectinload(CourtDocument.versions))
    )


def existing(hearing: Hearing, kind: DocumentKind) -> CourtDocument | None:
    return db.session.scalar(
        select(CourtDocument).where(
            CourtDocument.hearing_id == hearing.id, CourtDocument.kind == kind
        )
    )


def visible_versions(document: CourtDocument, *, issued_only: bool) -> list[DocumentVersion]:
    """The versions a reader sees, oldest first: judges see issued versions only."""
    return document.issued if issued_only else list(document.versions)


@dataclass(frozen=True)
class DocumentLine:
    """A row of the case page's list."""

    document: CourtDocument
    shown: DocumentVersion  # the latest version this reader may see
    last_issued: DocumentVersion | None


def case_documents(case: Case, *, issued_only: bool) -> list[DocumentLine]:
    """The case's documents, newest hearing first, as this reader may see them."""
    documents = db.session.scalars(
        select(CourtDocument)
        .where(CourtDocument.case_id == case.id)
        .options(
            selectinload(CourtDocument.versions).selectinload(DocumentVersion.author),
            selectinload(CourtDocument.hearing),
        )
        .order_by(CourtDocument.id.desc())
    ).all()
    lines = []
    for document in documents:
        versions = visible_versions(document, issued_only=issued_only)
        if versions:
            issued = document.issued
            lines.append(DocumentLine(document, versions[-1], issued[-1] if issued else None))
    return sorted(lines, key=lambda line: _day(line.document), reverse=True)


def _day(document: CourtDocument) -> date:
    return document.hearing.day if document.hearing else document.created_at.date()


def why_cannot_start(hearing: Hearing, kind: DocumentKind, today: date) -> str | None:
    """Why a document of `kind` cannot be started for `hearing`, or None when it can."""
    if hearing.is_cancelled:
        return "This hearing was cancelled"
    if kind is DocumentKind.REVIEW_REPORT:
        if hearing.kind is not HearingKind.NLR:
            return "A review report is written for a non-lawyer review (NLR)"
        if hearing.status is HearingStatus.HELD or hearing.day < today:
            return "This review has taken place: write the note of the hearing instead"
    if kind is DocumentKind.HEARING_NOTE and hearing.status is not HearingStatus.HELD:
        return "The note is written once the hearing's outcome has been recorded"
    return None


def startable(case: Case, today: date) -> list[tuple[DocumentKind, Hearing]]:
    """The documents worth starting now: the report to the next review, the note of the
    latest hearing held, when they have none yet."""
    hearings = db.session.scalars(
        select(Hearing)
        .where(Hearing.case_id == case.id, Hearing.status != HearingStatus.CANCELLED)
        .order_by(Hearing.day, Hearing.starts_at)
    ).all()
    upcoming = [
        h
        for h in hearings
        if h.kind is HearingKind.NLR and h.status is HearingStatus.PLANNED and h.day >= today
    ]
    held = [h for h in hearings if h.status is HearingStatus.HELD]
    found = []
    if upcoming and not existing(upcoming[0], DocumentKind.REVIEW_REPORT):
        found.append((DocumentKind.REVIEW_REPORT, upcoming[0]))
    if held and not existing(held[-1], DocumentKind.HEARING_NOTE):
        found.append((DocumentKind.HEARING_NOTE, held[-1]))
    return found


def default_period_for(case: Case, hearing: Hearing, today: date) -> tuple[date, date]:
    """Since the last review held before the hearing (fdac.reports.summary.default_period), up
    to the hearing's day, or today when the hearing is still ahead."""
    return default_period(case, min(hearing.day, today))


def prefill(hearing: Hearing, kind: DocumentKind) -> dict[str, str]:
    """A note starts from the hearing's recorded outcome: who came, the goals, the note."""
    outcome = hearing.outcome
    if kind is not DocumentKind.HEARING_NOTE or outcome is None:
        return {}
    came = [
        f"{row.parent.name}: {'attended' if row.attended else 'did not attend'}"
        for row in outcome.attendance
    ]
    if outcome.others_present.strip():
        came.append(f"Also present: {outcome.others_present.strip()}")
    return {"attendance": "\n".join(came), "note": outcome.note, "goals_agreed": outcome.goals}


def header(version: DocumentVersion) -> dict[str, str]:
    """What each printed page names: frozen at issue, live before."""
    if version.frozen_header is not None:
        return version.frozen_header
    document = version.document
    case, hearing = document.case, document.hearing
    return {
        "court": case.team.court_name,
        "case_number": case.court_case_number,
        "reference": case.reference,
        "judge": case.judge.name if case.judge else "Not allocated",
        "period": f"{uk_date(version.period_from)} to {uk_date(version.period_to)}",
        "hearing": f"{hearing.kind.label} on {uk_date(hearing.day)}" if hearing else "",
        "author": version.author.name if version.author else "the system",
        "approver": version.approver.name if version.approver else "",
    }


# ------------------------------------------------------------------------------- writing


def _check(kind: DocumentKind, words: dict[str, str], period: tuple[date, date], hearing):
    for w in kind.info.words:
        text = (words.get(w.field) or "").strip()
        if w.required and not text:
            raise FieldError(f"Enter {w.label[0].lower() + w.label[1:]}", w.field)
        if len(text) > MAX_WORDS:
            raise FieldError(f"{w.label} must be {MAX_WORDS:,} characters or fewer", w.field)
    first, last = period
    if last < first:
        raise FieldError(
            "The end of the period must be the same as or after its start", "period_to"
        )
    if hearing is not None and last > hearing.day:
        raise FieldError(
            f"The period must end by the day of the hearing, {uk_date(hearing.day)}", "period_to"
        )
    if (last - first) > timedelta(days=366):
        raise FieldError("The period must be a year or shorter", "period_from")


def _fill(version: DocumentVersion, kind: DocumentKind, words, period) -> None:
    for w in kind.info.words:
        setattr(version, w.field, (words.get(w.field) or "").strip())
    version.period_from, version.period_to = period
    version.updated_at = utc_now()


def _commit(draft: DocumentVersion | None = None, based_on: int | None = None) -> None:
    """Commit; a race lost to the database's unique rules, or to another step on the same
    version (its UPDATE matched no row at the version read), is RACE, or for a draft's words
    (`draft`) a StaleEdit showing the other change."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise FieldError(RACE) from None
    except StaleDataError:
        db.session.rollback()
        if draft is not None:
            raise _stale(draft, based_on) from None
        raise FieldError(RACE) from None


def _step(version: DocumentVersion, step: Step) -> None:
    """Refuse (FieldError, nothing saved) a step the workflow does not allow."""
    latest = version.document.latest is version
    problem = workflow.why_not(version.status, step, latest=latest)
    if problem:
        refuse(FieldError(problem))


def create(
    case: Case,
    hearing: Hearing,
    kind: DocumentKind,
    words: dict[str, str],
    period: tuple[date, date],
    *,
    by,
    today: date,
) -> CourtDocument:
    """Start a document for `hearing` with its first version, a draft by `by`."""
    try:
        if existing(hearing, kind) is not None:
            raise FieldError(f"This hearing already has a {kind.label.lower()}")
        problem = why_cannot_start(hearing, kind, today)
        if problem:
            raise FieldError(problem)
        _check(kind, words, period, hearing)
    except FieldError as error:
        refuse(error)
    document = CourtDocument(
        case_id=case.id, hearing_id=hearing.id, kind=kind, created_by_id=user_id(by)
    )
    version = DocumentVersion(case_id=case.id, number=1, author_id=user_id(by))
    _fill(version, kind, words, period)
    document.versions.append(version)
    db.session.add(document)
    _commit()
    return document


def _stale(version: DocumentVersion, based_on: int | None) -> record_versions.StaleEdit:
    """The refusal of a stale draft: the other changes without the time of each save."""
    error = record_versions.stale(version, based_on)
    error.changes = [
        record_versions.OtherChange(
            change.who, change.at, tuple(f for f in change.fields if f.name != "updated_at")
        )
        for change in error.changes
    ]
    return error


def save_draft(
    version: DocumentVersion, words: dict[str, str], period, *, by, based_on: int | None = None
) -> None:
    """Change the words or the period of the latest version while it is a draft. StaleEdit
    when the draft has changed since version `based_on`, the one the form was opened at."""
    document = version.document
    if based_on is not None and based_on != version.version:
        db.session.rollback()
        raise _stale(version, based_on)
    based_on = version.version
    try:
        _step(version, Step.EDIT)
        _check(document.kind, words, period, document.hearing)
    except FieldError as error:
        refuse(error)
    _fill(version, document.kind, words, period)
    if version.author_id is None:
        version.author_id = user_id(by)
    _commit(version, based_on)


def submit(version: DocumentVersion, *, by) -> None:
    """Send the draft to a manager for approval."""
    _step(version, Step.SUBMIT)
    version.status = workflow.after(version.status, Step.SUBMIT)
    version.submitted_at = utc_now()
    _commit()


def send_back(version: DocumentVersion, reason: str, *, by) -> None:
    """A manager returns a submitted version to its author, saying why."""
    try:
        _step(version, Step.SEND_BACK)
        if not reason.strip():
            raise FieldError("Enter why you are sending it back", "reason")
    except FieldError as error:
        refuse(error)
    version.status = workflow.after(version.status, Step.SEND_BACK)
    version.returned_reason = reason.strip()
    version.returned_by_id = user_id(by)
    version.returned_at = utc_now()
    _commit()


def issue(version: DocumentVersion, summary_html: str, *, by, today: date) -> None:
    """Approve and issue: from now on the version, its words, the progress summary as rendered
    now (`summary_html`) and its header are frozen."""
    _step(version, Step.ISSUE)
    # Everything the version is issued with is gathered first, then written in one flush: the
    # session refuses any later flush that touches an issued version (models.FrozenVersion).
    frozen = header(version) | {
        "approver": by.name if by is not None else "the system",
        "issued_on": uk_date(today),
    }
    with db.session.no_autoflush:
        version.status = workflow.after(version.status, Step.ISSUE)
        version.approver = by
        version.issued_at = utc_now()
        version.issued_on = today
        version.frozen_summary = summary_html
        version.frozen_header = frozen
    _commit()


def revise(document: CourtDocument, reason: str, *, by) -> DocumentVersion:
    """A new version (N + 1), a draft carrying the issued version's words, for changes."""
    issued = document.latest
    try:
        _step(issued, Step.REVISE)
        if not reason.strip():
            raise FieldError("Enter the reason for the revision", "reason")
    except FieldError as error:
        refuse(error)
    version = DocumentVersion(
        case_id=document.case_id,
        number=issued.number + 1,
        author_id=user_id(by),
        revision_reason=reason.strip(),
        status=VersionStatus.DRAFT,
    )
    _fill(version, document.kind, issued.words(), (issued.period_from, issued.period_to))
    document.versions.append(version)
    _commit()
    return version
