"""A lab's results file (CSV or Excel) -> checked results, stored all together or not at all.

One row per substance reading; the rows with the same `lab` and `lab_reference` are one sample.
Every problem in the whole file is reported by spreadsheet row (the header is row 1) and column,
and one problem anywhere means nothing is stored. What makes a result acceptable is
services.problems(), the rule the forms and the API use too. The layout: docs/lab-import.md.

Importing is idempotent: a file already imported by the team (same bytes) adds nothing, and a
sample whose `lab|lab_reference` is already stored is skipped, so overlapping files never add a
result twice. Inserts are bulk statements with the audit rows written alongside them (the audit
hook only sees ORM objects): at national scale the ORM path is several times slower.
"""

import hashlib
from dataclasses import dataclass
from datetime import date

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from fdac.audit.bulk import audit_inserts, insert_rows
from fdac.cases.models import Parent
from fdac.dates import london_today, utc_now
from fdac.extensions import db
from fdac.paging import in_chunks
from testing_results.lab_file import ImportRejected, RowError, parse
from testing_results.lab_file_checks import check
from testing_results.models import HairSegment, LabImport, SubstanceResult, TestResult
from testing_results.services import Draft

__all__ = ["ImportOutcome", "ImportRejected", "RowError", "check", "import_file", "parse"]


@dataclass
class ImportOutcome:
    added: int  # results (samples) stored
    already_present: int  # samples in the file already stored by an earlier import
    rows: int
    lab_import: LabImport | None = None
    already_imported_on: date | None = None  # set when this very file was imported before
    already_imported_by: str | None = None

    @property
    def duplicate(self) -> bool:
        return self.already_imported_on is not None


# ------------------------------------------------------------------------------ storing


def import_file(file_bytes: bytes, filename: str, *, user, today: date) -> ImportOutcome:
    """Check the whole file and store its new samples in one transaction, or nothing at all.

    Raises ImportRejected with every problem found, each by row and column.
    """
    if user.team_id is None:
        raise ImportRejected([RowError(None, None, "Only a member of a team can import results")])
    digest = hashlib.sha256(file_bytes).hexdigest()
    if earlier := _earlier_import(user.team_id, digest):
        return _duplicate(earlier)
    frame = parse(file_bytes, filename)
    drafts = check(frame, user=user, today=today)
    present = _stored_keys([draft.import_key for _, draft in drafts])
    new = [(parent, draft) for parent, draft in drafts if draft.import_key not in present]
    try:
        lab_import = LabImport(
            team_id=user.team_id,
            filename=filename[:255],
            sha256=digest,
            rows=len(frame),
            results_added=len(new),
            imported_by_id=user.id,
        )
        db.session.add(lab_import)
        db.session.flush()  # its id, and its audit row through the hook
        _insert(new, lab_import.id, user.id)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # another import of the same file or samples won the race
        if earlier := _earlier_import(user.team_id, digest):
            return _duplicate(earlier)
        raise ImportRejected(
            [
                RowError(
                    None,
                    None,
                    "Another import stored some of these results at the same moment. "
                    "Nothing was imported: upload the file again",
                )
            ]
        ) from None
    except BaseException:
        db.session.rollback()
        raise
    return ImportOutcome(len(new), len(drafts) - len(new), len(frame), lab_import)


def _earlier_import(team_id: int, digest: str) -> LabImport | None:
    return db.session.scalar(
        select(LabImport)
        .where(LabImport.team_id == team_id, LabImport.sha256 == digest)
        .options(selectinload(LabImport.imported_by))
    )


def _duplicate(earlier: LabImport) -> ImportOutcome:
    return ImportOutcome(
        added=0,
        already_present=0,  # the file was not read again
        rows=earlier.rows,
        already_imported_on=london_today(earlier.imported_at),
        already_imported_by=earlier.imported_by.name if earlier.imported_by else "someone",
    )


def _stored_keys(keys: list[str]) -> set[str]:
    present = set()
    for chunk in in_chunks(keys):
        present.update(
            db.session.scalars(
                select(TestResult.import_key).where(TestResult.import_key.in_(chunk))
            )
        )
    return present


def _insert(drafts: list[tuple[Parent, Draft]], import_id: int, user_id: int | None) -> None:
    """Bulk inserts of results, hair segments and readings, with their audit rows."""
    if not drafts:
        return
    now = utc_now()
    results = [
        {
            "case_id": parent.case_id,
            "parent_id": parent.id,
            "matrix": draft.sample.matrix,
            "method": draft.method,
            "collected_on": draft.sample.collected_on,
            "status": draft.sample.status,
            "status_reason": draft.status_reason,
            "observed": draft.observed,
            "value": draft.sample.value,
            "creatinine_mg_dl": draft.sample.creatinine_mg_dl,
            "sample_length_cm": draft.sample_length_cm,
            "lab_name": draft.lab_name,
            "lab_reference": draft.lab_reference,
            "reported_on": draft.reported_on,
            "confirms_id": None,
            "amends_id": None,
            "amendment_reason": "",
            "note": draft.note,
            "import_key": draft.import_key,
            "import_id": import_id,
            "entered_by_id": user_id,
            "entered_at": now,
        }
        for parent, draft in drafts
    ]
    # Every row written here belongs to this import: read the new ids back by that.
    mine = TestResult.import_id == import_id
    result_ids = insert_rows(TestResult, results, ("import_key",), mine)

    segments = [
        {"result_id": result_id, "position": i, "from_cm": seg.from_cm, "to_cm": seg.to_cm}
        for (_, draft), result_id in zip(drafts, result_ids, strict=True)
        for i, seg in enumerate(draft.sample.segments)
    ]
    of_mine = HairSegment.result_id.in_(select(TestResult.id).where(mine))
    segment_ids = iter(insert_rows(HairSegment, segments, ("result_id", "position"), of_mine))

    readings, details = [], []
    for (_, draft), result_id in zip(drafts, result_ids, strict=True):
        own_segments = [next(segment_ids) for _ in draft.sample.segments]
        detail = {
            "readings": [
                {
                    "substance": r.substance.value,
                    "value": _text(r.value),
                    "cutoff": _text(r.cutoff),
                    "segment": r.segment,
                }
                for r in draft.sample.readings
            ]
        }
        if draft.sample.segments:
            detail["segments"] = [
                [_text(seg.from_cm), _text(seg.to_cm)] for seg in draft.sample.segments
            ]
        details.append(detail)
        readings.extend(
            {
                "result_id": result_id,
                "substance": r.substance,
                "screen": r.screen,
                "value": r.value,
                "cutoff": r.cutoff,
                "segment_id": own_segments[r.segment] if r.segment is not None else None,
            }
            for r in draft.sample.readings
        )
    if readings:
        db.session.execute(insert(SubstanceResult.__table__), readings)
    # One audit row per sample, with its readings and segments in it: the trail is complete,
    # at a ninth of the rows one per reading would take (docs/decisions/0012-lab-import.md).
    audit_inserts(TestResult, results, result_ids, [r["case_id"] for r in results], now, details)


def _text(value) -> str | None:
    return None if value is None else str(value)


def recent_imports(team_id: int, limit: int = 10) -> list[LabImport]:
    """The team's latest imports, newest first."""
    return list(
        db.session.scalars(
            select(LabImport)
            .where(LabImport.team_id == team_id)
            .options(selectinload(LabImport.imported_by))
            .order_by(LabImport.imported_at.desc(), LabImport.id.desc())
            .limit(limit)
        )
    )
