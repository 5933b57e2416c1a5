"""The programme-wide export: a national-scale year of one team, written in a child process.

Two teams of their own are built with history.py's Core executemany writer: one with `cases`
families, one with half as many, each family testing three times a week (history's pattern)
through the whole of last calendar year, the other parent of every other family weekly.

Each export runs in a fresh child process (`python -m benchmarks.programme_export TEAM YEAR`,
the database URL in $FDAC_BENCHMARK_DATABASE_URL) that writes the workbook to a temporary
file, as the download does, and reports its time, the rows written and its peak memory:
VmHWM from /proc/self/status, the peak resident set size of the whole child process (Python,
Flask, SQLAlchemy, pandas, openpyxl and the export), read after the export, beside the same
figure read just before it started. Two sizes show whether the peak stays flat as
the rows grow.
"""

import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from benchmarks import history
from benchmarks.database import analyse, reset_sequences
from fdac.auth.roles import Role
from fdac.cases.models import Case, Parent, PhaseChange
from fdac.cases.people import Relationship
from fdac.cases.phases import Phase
from fdac.extensions import db
from testing_results.models import HairSegment, SubstanceResult, TestResult
from testing_results.panels import Matrix
from tests import factories

URL_VARIABLE = "FDAC_BENCHMARK_DATABASE_URL"


@dataclass(frozen=True)
class ExportRun:
    cases: int
    rows: int
    result_rows: int
    seconds: float
    peak_mb: float  # the child's peak RSS
    before_mb: float  # its RSS peak just before the export began
    xlsx_mb: float

    @property
    def rows_per_s(self) -> float:
        return self.rows / self.seconds


@dataclass(frozen=True)
class ProgrammeFigures:
    half: ExportRun
    full: ExportRun
    year: int


def build_team(name: str, cases: int, year: int, seed: int) -> int:
    """A team with `cases` families testing through all of `year`: its id."""
    rng = random.Random(seed)
    team = factories.make_team(name, court_code="PX")
    worker = factories.make_user(Role.PRACTITIONER, team=team)
    factories.make_user(Role.TEAM_MANAGER, team=team)
    now = datetime.now(UTC)
    writer = history._Writer((worker.id, f"{worker.name} <{worker.email}>"), now)
    for n in range(1, cases + 1):
        entered = date(year - 1, 11, 2) + timedelta(days=n % 28)  # 78 weeks cover the year
        case_id = writer.add(
            Case,
            {
                "reference": f"PX-{seed}-{n:05d}",
                "court_case_number": f"PX{entered:%y}C{seed % 10}{n:04d}",
                "team_id": team.id,
                "local_authority": "Riverside Borough Council",
                "issued_on": entered - timedelta(days=3),
                "entered_on": entered,
                "phase": Phase.TRIAL_FOR_CHANGE,
                "outcome": None,
                "keyworker_id": worker.id,
                "judge_id": None,
                "created_at": now,
            },
            None,
        )
        writer.add(
            PhaseChange,
            {
                "case_id": case_id,
                "from_phase": None,
                "to_phase": Phase.TRIAL_FOR_CHANGE,
                "changed_on": entered,
                "changed_by_id": worker.id,
                "note": "",
                "created_at": now,
            },
            case_id,
        )
        parents = [
            writer.add(
                Parent,
                {
                    "case_id": case_id,
                    "name": f"{first} {history.SURNAMES[n % len(history.SURNAMES)]}",
                    "date_of_birth": date(1990 + n % 10, 1 + n % 12, 1 + n % 28),
                    "relationship_to_children": relationship,
                },
                case_id,
            )
            for first, relationship in (
                (history.MOTHERS[n % len(history.MOTHERS)], Relationship.MOTHER),
                (history.FATHERS[n % len(history.FATHERS)], Relationship.FATHER),
            )
        ]
        start = entered + timedelta(days=1)
        history._three_a_week(
            history._Testing(writer, rng, case_id, parents[0], worker.id), start, rng
        )
        if n % 2:
            other = history._Testing(writer, rng, case_id, parents[1], worker.id)
            for week in range(history.WEEKS):
                other.screen(Matrix.URINE, start + timedelta(weeks=week, days=1))
        writer.flush()
    writer.flush(force=True)
    tables = [Case, PhaseChange, Parent, TestResult, HairSegment, SubstanceResult]
    reset_sequences(*(m.__table__ for m in tables))
    analyse(*(m.__table__ for m in tables))
    return team.id


def peak_rss_mb() -> float:
    """This process's peak resident set size: VmHWM, which starts afresh at exec. (Not
    getrusage's ru_maxrss: Linux carries it over from the parent across fork and exec, so a
    child of a big benchmark process would report the parent's size.)"""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def _child(url: str, team_id: int, year: int) -> dict:
    """In the child process: the export of one team's year, timed, with its peak memory."""
    os.environ.setdefault("SECRET_KEY", "benchmark-secret-key")
    import warnings

    warnings.filterwarnings("ignore", message="Dialect sqlite\\+pysqlite does \\*not\\*")
    from fdac import create_app
    from fdac.reports import programme
    from fdac.teams.models import Team

    app = create_app(
        {"TESTING": True, "SECRET_KEY": os.environ["SECRET_KEY"], "SQLALCHEMY_DATABASE_URI": url}
    )
    with app.app_context():
        team = db.session.get(Team, team_id)
        before = peak_rss_mb()
        with tempfile.TemporaryFile() as out:
            started = time.perf_counter()
            written = programme.write_programme(
                out,
                team=team,
                year=year,
                today=date(year + 1, 6, 1),
                author="Benchmark",
                generated_at=datetime.now(UTC),
            )
            seconds = time.perf_counter() - started
            size = out.tell()
        peak = peak_rss_mb()
        db.session.remove()
        db.engine.dispose()
    return {
        "cases": written.cases,
        "rows": written.rows,
        "result_rows": written.result_rows,
        "seconds": seconds,
        "peak_mb": peak,
        "before_mb": before,
        "xlsx_mb": size / 1e6,
    }


def export_in_child(team_id: int, year: int) -> ExportRun:
    # The URL by the environment, not the command line, where a password would show in `ps`.
    env = os.environ | {URL_VARIABLE: db.engine.url.render_as_string(hide_password=False)}
    done = subprocess.run(  # noqa: S603 (our own interpreter and module, our own arguments)
        [sys.executable, "-m", "benchmarks.programme_export", str(team_id), str(year)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the programme export failed in its child process:\n{done.stderr}")
    return ExportRun(**json.loads(done.stdout.strip().splitlines()[-1]))


def run(*, cases: int, today: date) -> ProgrammeFigures:
    year = today.year - 1
    half_team = build_team("Programme bench, half", max(1, cases // 2), year, seed=1)
    full_team = build_team("Programme bench, full", cases, year, seed=2)
    return ProgrammeFigures(
        export_in_child(half_team, year), export_in_child(full_team, year), year
    )


if __name__ == "__main__":
    team_id, year = int(sys.argv[1]), int(sys.argv[2])
    print(json.dumps(_child(os.environ[URL_VARIABLE], team_id, year)))
