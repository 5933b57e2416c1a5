"""A worker killed (SIGKILL: no clean-up runs) in the middle of a lab import or a programme
export leaves nothing half-written: no result of the import in the database, no workbook at
the export's destination."""

import csv
import io
import multiprocessing
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from fdac.audit.models import AuditEvent
from fdac.extensions import db
from testing_results.lab_file import COLUMNS
from testing_results.models import LabImport, SubstanceResult, TestResult
from tests import factories
from tests.conftest import _database_url
from tests.faults import workers

SAMPLES = 3000
WAIT_SECONDS = 60


def _lab_file(reference: str, parent: str, samples: int) -> bytes:
    """`samples` PEth results for one parent, one row each."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), extrasaction="ignore")
    writer.writeheader()
    for n in range(samples):
        collected = date(2026, 6, 2) + timedelta(days=n % 150)
        writer.writerow(
            {
                "case_reference": reference,
                "parent_name": parent,
                "test": "peth",
                "collected_on": collected.isoformat(),
                "reported_on": (collected + timedelta(days=3)).isoformat(),
                "lab": "Northgate Toxicology",
                "lab_reference": f"P-{n:06d}",
                "substance": "alcohol",
                "value": str(n % 300),
                "unit": "ng/mL",
            }
        )
    return out.getvalue().encode()


def _run_and_kill(target, args, marker: Path) -> None:
    """Start `target` in a fresh process, wait until `marker` says it is part-way, kill it."""
    process = multiprocessing.get_context("spawn").Process(target=target, args=args)
    process.start()
    try:
        deadline = time.monotonic() + WAIT_SECONDS
        while not marker.exists():
            if not process.is_alive():
                pytest.fail(f"the worker ended (exit code {process.exitcode}) before part-way")
            if time.monotonic() > deadline:
                pytest.fail("the worker never got part-way")
            time.sleep(0.05)
        time.sleep(0.1)  # let it reach its hanging point after the marker
    finally:
        process.kill()  # SIGKILL
        process.join(timeout=30)
    assert process.exitcode == -9


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_a_lab_import_killed_after_inserting_its_rows_stores_nothing(team, tmp_path):
    case = factories.make_case(team, entered_on=date(2026, 6, 1))
    factories.add_parent(case, "Kelly Ashworth")
    user = factories.make_user("practitioner", team=team)
    lab_file = tmp_path / "big.csv"
    lab_file.write_bytes(_lab_file(case.reference, "Kelly Ashworth", SAMPLES))
    marker = tmp_path / "inserted"
    args = (_database_url(), str(lab_file), user.id, str(marker))
    db.session.commit()
    db.session.remove()

    _run_and_kill(workers.import_lab_file, args, marker)

    # The killed transaction had every result in it, uncommitted ...
    assert int(marker.read_text()) == SAMPLES
    # ... and none of it, nor the import's own row, nor an audit row, was kept.
    assert _count(TestResult) == 0
    assert _count(SubstanceResult) == 0
    assert _count(LabImport) == 0
    assert _count(AuditEvent, AuditEvent.table_name.in_(["test_results", "lab_imports"])) == 0


def _team_with_a_case():
    team = factories.make_team()
    case = factories.make_case(team, entered_on=date(2026, 6, 1))
    factories.add_peth(factories.add_parent(case), "25", collected_on=date(2026, 7, 1))
    return team


def test_a_programme_export_killed_while_writing_leaves_no_file_at_its_destination(tmp_path):
    team = _team_with_a_case()
    destination = tmp_path / "programme.xlsx"
    marker = tmp_path / "writing"
    args = (_database_url(), team.id, 2026, str(destination), str(marker))
    db.session.commit()
    db.session.remove()

    _run_and_kill(workers.export_programme, args, marker)

    assert not destination.exists()
    # What the killed worker did write is a hidden part file (a later export overwrites
    # nothing of it and an operator may delete it): never a truncated workbook by that name.
    parts = list(tmp_path.glob(".programme.xlsx.*.part"))
    assert len(parts) == 1
    assert 0 < parts[0].stat().st_size <= 4096


def test_a_programme_export_that_finishes_is_a_whole_workbook(tmp_path):
    from fdac.reports import programme

    team = _team_with_a_case()
    destination = tmp_path / "programme.xlsx"
    figures = programme.export_to(
        destination,
        team=team,
        year=2026,
        today=date(2026, 11, 22),
        author="Fault Test",
        generated_at=workers.datetime(2026, 11, 22, 12, tzinfo=workers.UTC),
    )
    assert figures.cases > 0
    assert load_workbook(destination, read_only=True).sheetnames[0] == "Summary"
    assert [p.name for p in tmp_path.iterdir()] == ["programme.xlsx"]
