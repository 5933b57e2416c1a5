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

import gc
import hashlib
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

import numpy as np
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from fdac.audit.bulk import audit_inserts, insert_rows
from fdac.dates import london_today, utc_now
from fdac.extensions import db
from fdac.paging import in_chunks
from testing_results.lab_file import ImportRejected, RowError, parse
from testing_results.lab_file_checks import check
from testing_results.lab_file_samples import Samples
from testing_results.models import HairSegment, LabImport, Method, SubstanceResult, TestResult

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
    samples = check(frame, user=user, today=today)
    present = _stored_keys(samples.import_key.tolist())
    new = np.array([key not in present for key in samples.import_key.tolist()], dtype=bool)
    try:
        lab_import = LabImport(
            team_id=user.team_id,
            filename=filename[:255],
            sha256=digest,
            rows=samples.rows,
            results_added=int(new.sum()),
            imported_by_id=user.id,
        )
        db.session.add(lab_import)
        db.session.flush()  # its id, and its audit row through the hook
        with _cycle_collection_paused():
            _insert(samples, new, lab_import.id, user.id)
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
    added = int(new.sum())
    return ImportOutcome(added, len(samples) - added, samples.rows, lab_import)


@contextmanager
def _cycle_collection_paused():
    """Pause Python's cyclic garbage collector while the rows are built and inserted.

    A 100,000-row file means about a million short-lived dicts and lists (rows for the
    inserts, the audit rows' changes, SQLAlchemy's parameters). None of them forms a cycle:
    reference counting frees each as soon as it is done with. But their sheer number sets off
    full collections, each walking every object in the process, which took a fifth of an
    import's time. Collection resumes afterwards, and picks up any cycle then.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


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


def _insert(samples: Samples, new: np.ndarray, import_id: int, user_id: int | None) -> None:
    """Bulk inserts of the `new` samples' results, hair segments and readings, with their
    audit rows. Each table's rows are built from the samples' columns with zip."""
    if not new.any():
        return
    now = utc_now()
    kept = np.flatnonzero(new)
    results = _result_rows(samples, kept, import_id, user_id, now)
    # Every row written here belongs to this import: read the new ids back by that.
    mine = TestResult.import_id == import_id
    result_ids = np.full(len(samples), -1, dtype=np.int64)
    result_ids[kept] = insert_rows(TestResult, results, ("import_key",), mine)

    segments = samples.segments
    stored = new[segments.sample]
    segment_rows = [
        {"result_id": result_id, "position": position, "from_cm": from_cm, "to_cm": to_cm}
        for result_id, position, from_cm, to_cm in zip(
            result_ids[segments.sample[stored]].tolist(),
            segments.position[stored].tolist(),
            segments.from_cm[stored].tolist(),
            segments.to_cm[stored].tolist(),
            strict=True,
        )
    ]
    of_mine = HairSegment.result_id.in_(select(TestResult.id).where(mine))
    segment_ids = np.full(len(segments.sample) + 1, None, dtype=object)  # [-1]: no segment
    segment_ids[np.flatnonzero(stored)] = insert_rows(
        HairSegment, segment_rows, ("result_id", "position"), of_mine
    )

    readings = samples.readings
    stored = new[readings.sample]
    substances = readings.substance[stored].tolist()
    segment_of = readings.segment[stored]
    if substances:
        db.session.execute(
            insert(SubstanceResult.__table__),
            [
                # No `screen`: a laboratory reading has none (NULL).
                {
                    "result_id": result_id,
                    "substance": substance,
                    "value": value,
                    "cutoff": cutoff,
                    "segment_id": segment_id,
                }
                for result_id, substance, value, cutoff, segment_id in zip(
                    result_ids[readings.sample[stored]].tolist(),
                    substances,
                    readings.value[stored].tolist(),
                    readings.cutoff[stored].tolist(),
                    segment_ids[segment_of].tolist(),
                    strict=True,
                )
            ],
        )
    # One audit row per sample, with its readings and segments in it: the trail is complete,
    # at a ninth of the rows one per reading would take (docs/decisions/0012-lab-import.md).
    details = [{"readings": []} for _ in kept]
    sample_of = np.searchsorted(kept, readings.sample[stored]).tolist()
    positions = np.append(segments.position, None).astype(object)
    for sample, substance, value, cutoff, segment in zip(
        sample_of,
        substances,
        readings.value_text[stored].tolist(),
        readings.cutoff_text[stored].tolist(),
        positions[segment_of].tolist(),
        strict=True,
    ):
        details[sample]["readings"].append(
            {"substance": substance, "value": value, "cutoff": cutoff, "segment": segment}
        )
    stored = new[segments.sample]
    for sample, from_cm, to_cm in zip(
        np.searchsorted(kept, segments.sample[stored]).tolist(),
        segments.from_cm[stored].tolist(),
        segments.to_cm[stored].tolist(),
        strict=True,
    ):
        details[sample].setdefault("segments", []).append([str(from_cm), str(to_cm)])
    case_ids = samples.case_id[kept].tolist()
    audit_inserts(TestResult, results, result_ids[kept].tolist(), case_ids, now, details)


def _result_rows(samples: Samples, kept: np.ndarray, import_id: int, user_id, now) -> list[dict]:
    """The test_results rows of the samples `kept`."""
    names = ("case_id", "parent_id", "matrix", "collected_on", "status", "status_reason")
    names += ("observed", "value", "creatinine_mg_dl", "lab_name", "lab_reference")
    names += ("reported_on", "note", "import_key")
    return [
        {
            "case_id": case_id,
            "parent_id": parent_id,
            "matrix": matrix,
            "method": Method.LABORATORY.value,
            "collected_on": collected_on,
            "status": status,
            "status_reason": status_reason,
            "observed": observed,
            "value": value,
            "creatinine_mg_dl": creatinine,
            "sample_length_cm": None,
            "lab_name": lab_name,
            "lab_reference": lab_reference,
            "reported_on": reported_on,
            "confirms_id": None,
            "amends_id": None,
            "contact_id": None,  # a lab sample is not taken at a recorded contact
            "amendment_reason": "",
            "note": note,
            "import_key": import_key,
            "import_id": import_id,
            "entered_by_id": user_id,
            "entered_at": now,
        }
        for (
            case_id,
            parent_id,
            matrix,
            collected_on,
            status,
            status_reason,
            observed,
            value,
            creatinine,
            lab_name,
            lab_reference,
            reported_on,
            note,
            import_key,
        ) in zip(*(getattr(samples, name)[kept].tolist() for name in names), strict=True)
    ]


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
