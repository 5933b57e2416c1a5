"""Lab import: importer.import_file against the bare floor on the same database.

The floor is what no importer can beat: pandas.read_csv of the same bytes, then one Core
executemany of the same samples into test_results and of the same readings into
substance_results (the columns the file carries; no checks, no hair segments, no audit rows).
Between runs the rows each run added are deleted, so every run starts from the same history.
"""

import io
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pandas as pd
from sqlalchemy import delete, func, insert, select, text

from benchmarks.database import analyse
from benchmarks.history import History
from benchmarks.labfile import LabFile
from benchmarks.timing import Subject, Timing, compare
from fdac.audit.models import AuditEvent
from fdac.auth.models import User
from fdac.cases.models import Case, Parent
from fdac.extensions import db
from testing_results import importer
from testing_results.models import HairSegment, LabImport, SubstanceResult, TestResult

# Children before parents, for deleting.
TABLES = (SubstanceResult, HairSegment, TestResult, AuditEvent, LabImport)
SINGLE_VALUE = ("peth", "breath")
TIDY_INDEX = "benchmark_tidy_segment_id"
SAMPLE_COLUMNS = ("case_reference", "parent_name", "test", "collected_on", "reported_on")
SAMPLE_COLUMNS += ("status", "value", "creatinine_mg_dl", "lab", "lab_reference")


@dataclass(frozen=True)
class ImportFigures:
    app: Timing
    bare: Timing
    rows: int
    added: dict[str, int]  # rows one import_file run adds, per table

    @property
    def app_rows_per_s(self) -> float:
        return self.rows / self.app.seconds

    @property
    def bare_rows_per_s(self) -> float:
        return self.rows / self.bare.seconds


def bare_import(data: bytes, team_id: int) -> int:
    """read_csv, then the same samples and readings in two executemany inserts."""
    frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    results_table, readings_table = TestResult.__table__, SubstanceResult.__table__
    now = datetime.now(UTC)
    with db.engine.begin() as conn:
        parent_of = {
            (reference, name): (case_id, parent_id)
            for reference, name, case_id, parent_id in conn.execute(
                select(Case.reference, Parent.name, Parent.case_id, Parent.id)
                .join(Parent, Parent.case_id == Case.id)
                .where(Case.team_id == team_id)
            )
        }
        first_id = (conn.scalar(select(func.max(results_table.c.id))) or 0) + 1
        key = frame["lab"].str.lower() + "|" + frame["lab_reference"].str.lower()
        codes, _ = pd.factorize(key)
        first = ~key.duplicated()
        columns = [frame[c][first].tolist() for c in SAMPLE_COLUMNS] + [key[first].tolist()]
        results = [
            {
                "id": first_id + i,
                "case_id": parent_of[ref, name][0],
                "parent_id": parent_of[ref, name][1],
                "matrix": test,
                "method": "laboratory",
                "collected_on": date.fromisoformat(collected),
                "reported_on": date.fromisoformat(reported) if reported else None,
                "status": status or "result",
                "value": float(value) if test in SINGLE_VALUE and value else None,
                "creatinine_mg_dl": float(creatinine) if creatinine else None,
                "lab_name": lab,
                "lab_reference": lab_reference,
                "import_key": sample_key,
                "entered_at": now,
            }
            for i, (
                ref,
                name,
                test,
                collected,
                reported,
                status,
                value,
                creatinine,
                lab,
                lab_reference,
                sample_key,
            ) in enumerate(zip(*columns, strict=True))
        ]
        is_reading = ~frame["test"].isin(SINGLE_VALUE) & (frame["substance"] != "")
        readings = [
            {
                "result_id": first_id + int(code),
                "substance": substance,
                "value": float(value),
                "cutoff": float(cutoff) if cutoff else None,
            }
            for code, substance, value, cutoff in zip(
                codes[is_reading.to_numpy()],
                frame["substance"][is_reading],
                frame["value"][is_reading],
                frame["cutoff"][is_reading],
                strict=True,
            )
        ]
        conn.execute(insert(results_table), results)
        conn.execute(insert(readings_table), readings)
    return len(results)


class _Runs:
    """Untimed set-up and clean-up around each run; checks each run stored what it should."""

    def __init__(self, history: History, lab: LabFile):
        self.history, self.lab = history, lab
        self.marks = {m: db.session.scalar(select(func.max(m.id))) or 0 for m in TABLES}
        self.user: User | None = None
        self.added: dict[str, dict[str, int]] = {}

    def fresh_session(self) -> None:
        db.session.remove()  # as a new request would: nothing cached from the last run
        self.user = db.session.get(User, self.history.importer_id)

    def app(self) -> None:
        outcome = importer.import_file(
            self.lab.data, "northgate-results.csv", user=self.user, today=self.history.today
        )
        if outcome.added != self.lab.samples:
            raise RuntimeError(f"import_file added {outcome.added} of {self.lab.samples} samples")

    def bare(self) -> None:
        bare_import(self.lab.data, self.user.team_id)

    def tidy(self, subject: str, expected: dict) -> None:
        """Check what the run stored, then delete it: the next run starts from the history."""
        db.session.remove()
        added = {
            m: db.session.scalar(select(func.count()).select_from(m).where(m.id > self.marks[m]))
            for m in TABLES
        }
        for model, wanted in expected.items():
            if added[model] != wanted:
                raise RuntimeError(
                    f"{subject}: {model.__tablename__} gained {added[model]} rows, not {wanted}"
                )
        self.added[subject] = {m.__tablename__: n for m, n in added.items()}
        # Deleting a hair segment makes the database look for readings that refer to it, and
        # substance_results.segment_id has no index (the app never deletes): without this one,
        # made here and dropped at once, each deleted segment would scan every reading.
        db.session.execute(text(f"CREATE INDEX {TIDY_INDEX} ON substance_results (segment_id)"))
        for model in TABLES:
            if model is AuditEvent:  # append-only: the run's audit rows stay; count from here
                self.marks[model] = db.session.scalar(select(func.max(model.id))) or 0
                continue
            db.session.execute(delete(model).where(model.id > self.marks[model]))
        db.session.execute(text(f"DROP INDEX {TIDY_INDEX}"))
        db.session.commit()
        analyse(*(m.__table__ for m in TABLES))


def run(history: History, lab: LabFile, *, runs: int, warmups: int) -> ImportFigures:
    state = _Runs(history, lab)
    app_rows = {
        TestResult: lab.samples,
        SubstanceResult: lab.readings,
        HairSegment: lab.hair_segments,
        LabImport: 1,
    }
    bare_rows = {TestResult: lab.samples, SubstanceResult: lab.readings, AuditEvent: 0}
    timings = compare(
        {
            "app": Subject(
                state.app, prepare=state.fresh_session, tidy=lambda: state.tidy("app", app_rows)
            ),
            "bare": Subject(
                state.bare, prepare=state.fresh_session, tidy=lambda: state.tidy("bare", bare_rows)
            ),
        },
        runs=runs,
        warmups=warmups,
    )
    return ImportFigures(timings["app"], timings["bare"], lab.rows, state.added["app"])
