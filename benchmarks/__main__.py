"""python -m benchmarks [--scale small|full] [--database-url URL]

Builds a history in the benchmark's own database, then prints one table: each row a figure
beside its bare baseline measured in the same run, the ratio, and whether the goal is met.
A missed goal is reported, never a failure: the exit status is 0 unless something broke.
"""

import argparse
import sys
import time
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime

from benchmarks.database import BenchmarkError, benchmark_app, count, describe, machine


@dataclass(frozen=True)
class Scale:
    cases: int  # families, each with 18 months of testing
    teams: int  # the lab file is for the first team's cases
    lab_rows: int
    import_runs: int
    import_warmups: int
    trend_runs: int
    trend_warmups: int
    planning_courts: int  # pure, no database: a year of reviews for every active case
    planning_cases: int
    planning_runs: int
    planning_warmups: int
    contact_cases: int  # active, with two years of contacts, shared by contact_teams teams
    contact_teams: int
    contact_runs: int
    contact_warmups: int
    summary_runs: int  # the judge's summary of the first family, and its Excel export
    summary_warmups: int
    excel_runs: int
    excel_warmups: int
    programme_cases: int  # families of the programme export's team (and half as many)


SCALES = {
    # `make bench-smoke`, from `make test`: every path runs, in seconds, so nothing rots.
    "small": Scale(4, 1, 2_000, 3, 1, 5, 2, 2, 60, 3, 1, 20, 2, 3, 1, 2, 1, 1, 0, 4),
    # National scale: a few hundred families, and a lab's file of 100,000 rows; the planner
    # for 1,000 active cases over 15 courts; contact compliance for 1,000 active cases of 10
    # teams, two years of contacts each; the programme export of a team of 500 families
    # testing three times a week all year (and of 250, to show its memory stays flat).
    "full": Scale(300, 3, 100_000, 3, 1, 15, 3, 15, 1_000, 7, 2, 1_000, 10, 7, 2, 15, 3, 7, 2, 500),
}
IMPORT_GOAL = 0.5  # the importer's rows/s at least half the bare floor's
PAGE_GOAL_MS = 50.0  # server time of the trend page
PLANNING_GOAL_MS = 1000.0  # issue 4: a year of reviews for 1,000 cases in under a second
TEAM_FLAGS_GOAL_MS = 100.0  # issue 5: the whole team's home page flags in under 100 ms
SUMMARY_GOAL_MS = 100.0  # issue 6: the judge's summary, 18 months of three tests a week
EXCEL_GOAL_S = 0.5  # issue 6: one case's Excel export
PROGRAMME_MEMORY_GOAL_MB = 300.0  # issue 6: the programme export's peak, whatever the rows


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Time the lab import, the trend page, the hearing planner and contact "
        "compliance.",
    )
    parser.add_argument("--scale", choices=sorted(SCALES), default="full")
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL database the benchmark may wipe: its public schema is dropped and "
        "recreated (default: a temporary SQLite file)",
    )
    return parser.parse_args(argv)


def _table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)


def _met(ok: bool) -> str:
    return "met" if ok else "not met"


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    scale = SCALES[args.scale]
    # SQLite stores Numeric as REAL; SQLAlchemy warns on every Decimal it binds.
    warnings.filterwarnings("ignore", message="Dialect sqlite\\+pysqlite does \\*not\\*")
    started = lap = time.perf_counter()

    def took() -> str:
        nonlocal lap
        seconds, lap = time.perf_counter() - lap, time.perf_counter()
        return f"{seconds:.0f} s"

    try:
        with benchmark_app(args.database_url) as app:
            from benchmarks import (
                case_excel,
                compliance,
                lab_import,
                labfile,
                planning,
                programme_export,
                summary_page,
                trend_page,
            )
            from benchmarks import history as history_module
            from fdac.dates import london_today
            from testing_results.models import HairSegment, SubstanceResult, TestResult

            now = datetime.now(UTC)
            print(f"FDAC Manager benchmarks, scale {args.scale}, {now:%Y-%m-%d %H:%M} UTC")
            print(f"  machine   {machine()}")
            print(f"  database  {describe()}, migrated in {took()}", flush=True)

            today = london_today()
            history = history_module.build(cases=scale.cases, teams=scale.teams, today=today)
            c = history.counts
            print(
                f"  history   {len(history.families):,} cases, {c['parents']:,} parents, "
                f"{c['test_results']:,} test results, {c['substance_results']:,} readings, "
                f"{c['hair_segments']:,} hair segments, {c['audit_events']:,} audit events "
                f"(Core executemany, {took()})",
                flush=True,
            )
            families = history.team(history.families[0].team_id)
            lab = labfile.generate(families, scale.lab_rows, today)
            print(
                f"  lab file  {lab.rows:,} rows: {lab.samples:,} samples, {lab.readings:,} "
                f"readings, {lab.hair_segments:,} hair segments, {len(lab.data) / 1e6:.1f} MB, "
                f"for the {len(families)} cases of one team ({took()})",
                flush=True,
            )
            imported = lab_import.run(
                history, lab, runs=scale.import_runs, warmups=scale.import_warmups
            )
            added = ", ".join(f"{n:,} {table}" for table, n in imported.added.items() if n)
            print(f"  import    each run adds {added} ({took()})", flush=True)
            trend = trend_page.run(app, history, runs=scale.trend_runs, warmups=scale.trend_warmups)
            print(
                f"  trend     one parent: {trend.results:,} test results, {trend.readings:,} "
                f"readings; the page is {trend.html_bytes / 1000:.0f} kB of HTML ({took()})"
            )
            summary = summary_page.run(
                app, history, runs=scale.summary_runs, warmups=scale.summary_warmups
            )
            workbook = case_excel.run(history, runs=scale.excel_runs, warmups=scale.excel_warmups)
            print(
                f"  summary   one case, 18 months: {summary.rows_all:,} rows (results x "
                f"readings, contacts, hearings); the fortnight's page reads {summary.rows:,} "
                f"and is {summary.html_bytes / 1000:.0f} kB; its Excel of 18 months: "
                f"{workbook.results:,} result rows, {workbook.cells:,} cells, "
                f"{workbook.xlsx_bytes / 1000:.0f} kB ({took()})",
                flush=True,
            )
            planned = planning.run(
                courts=scale.planning_courts,
                cases=scale.planning_cases,
                start=today,
                runs=scale.planning_runs,
                warmups=scale.planning_warmups,
            )
            print(
                f"  planning  {planned.cases:,} active cases, {planned.courts} courts, "
                f"{planned.judges} judges, a year: {planned.booked:,} reviews on their date, "
                f"{planned.moved:,} moved, {planned.unplaced:,} not bookable with the "
                f"judge ({took()})",
                flush=True,
            )
            country = compliance.build(
                cases=scale.contact_cases, teams=scale.contact_teams, today=today
            )
            print(
                f"  contacts  {len(country.case_ids):,} active cases of {len(country.team_ids)} "
                f"teams, {country.contacts:,} contacts over two years (Core executemany, "
                f"{took()})",
                flush=True,
            )
            contacts = compliance.run(
                app, country, today, runs=scale.contact_runs, warmups=scale.contact_warmups
            )
            print(
                f"  timed     {contacts.cases:,} open cases in all, {contacts.team_cases:,} in "
                f"the first team; one case's 12 weeks: {contacts.case_contacts} contacts; the "
                f"team has {contacts.flags} open contact flags ({took()})",
                flush=True,
            )
            # Every run cleaned up after itself: the history is as it was built.
            totals = (count(TestResult), count(SubstanceResult), count(HairSegment))
            if totals != (c["test_results"], c["substance_results"], c["hair_segments"]):
                raise RuntimeError(f"the history changed during the benchmarks: {totals}")
            # Last: its teams add their own results to the database.
            exported = programme_export.run(cases=scale.programme_cases, today=today)
            print(
                f"  programme {exported.year}: {exported.full.cases:,} and "
                f"{exported.half.cases:,} cases, {exported.full.rows:,} and "
                f"{exported.half.rows:,} rows written, workbooks of {exported.full.xlsx_mb:.1f} "
                f"and {exported.half.xlsx_mb:.1f} MB ({took()})",
                flush=True,
            )
    except BenchmarkError as error:
        print(f"benchmarks: {error}", file=sys.stderr)
        return 2

    ratio = imported.app_rows_per_s / imported.bare_rows_per_s
    table = [
        ["benchmark", "app", "bare baseline", "ratio", "goal", "app runs", "goals"],
        [
            f"Lab import, {lab.rows:,} rows",
            f"{imported.app_rows_per_s:,.0f} rows/s",
            f"{imported.bare_rows_per_s:,.0f} rows/s",
            f"{ratio:.2f} importer/bare",
            f"ratio >= {IMPORT_GOAL}",
            imported.app.describe(),
            _met(ratio >= IMPORT_GOAL),
        ],
    ]
    for label, timing in (
        ("Trend page, trend.parent_page()", trend.page),
        ("Trend page, GET results.parent", trend.get),
    ):
        table.append(
            [
                label,
                f"{timing.ms:.1f} ms",
                f"{trend.bare.ms:.2f} ms select",
                f"{timing.seconds / trend.bare.seconds:.1f}x bare SQL",
                f"< {PAGE_GOAL_MS:.0f} ms",
                timing.describe(),
                _met(timing.ms < PAGE_GOAL_MS),
            ]
        )
    whole, one = planned.whole, planned.one_case
    table.append(
        [
            f"Planning a year of NLRs, {planned.cases:,} cases",
            f"{whole.ms:.0f} ms",
            f"{one.ms:.2f} ms one case",
            f"one case 1/{whole.seconds / one.seconds:,.0f} of it",
            f"< {PLANNING_GOAL_MS:.0f} ms",
            whole.describe(),
            _met(whole.ms < PLANNING_GOAL_MS),
        ]
    )
    bare = contacts.bare
    table.append(
        [
            f"Compliance, all {contacts.cases:,} open cases",
            f"{contacts.all_cases.ms:.0f} ms, {contacts.per_case * 1000:.2f} ms a case",
            f"{bare.ms:.2f} ms one case's select",
            f"a case {contacts.per_case / bare.seconds:.1f}x bare SQL",
            "",
            contacts.all_cases.describe(),
            "",
        ]
    )
    team_per_case = contacts.one_team.seconds / contacts.team_cases
    table.append(
        [
            f"Compliance, one team's {contacts.team_cases:,} cases",
            f"{contacts.one_team.ms:.1f} ms, {team_per_case * 1000:.2f} ms a case",
            f"{bare.ms:.2f} ms one case's select",
            f"a case {team_per_case / bare.seconds:.1f}x bare SQL",
            "",
            contacts.one_team.describe(),
            "",
        ]
    )
    for label, timing in (
        (f"Contact flags job, one team ({contacts.team_cases:,} cases)", contacts.team_flags),
        ("Manager's home page, GET home", contacts.home),
    ):
        table.append(
            [
                label,
                f"{timing.ms:.1f} ms",
                f"{bare.ms:.2f} ms one case's select",
                f"{timing.seconds / bare.seconds:.0f}x bare SQL",
                f"< {TEAM_FLAGS_GOAL_MS:.0f} ms",
                timing.describe(),
                _met(timing.ms < TEAM_FLAGS_GOAL_MS),
            ]
        )
    for label, timing, bare in (
        ("Judge's summary, progress_summary (fortnight)", summary.summary, summary.bare),
        ("Judge's summary, GET reports.summary (fortnight)", summary.get, summary.bare),
        ("Judge's summary, GET reports.summary (18 months)", summary.get_all, summary.bare_all),
    ):
        table.append(
            [
                label,
                f"{timing.ms:.1f} ms",
                f"{bare.ms:.2f} ms selects",
                f"{timing.seconds / bare.seconds:.1f}x bare SQL",
                f"< {SUMMARY_GOAL_MS:.0f} ms",
                timing.describe(),
                _met(timing.ms < SUMMARY_GOAL_MS),
            ]
        )
    table.append(
        [
            f"One case's Excel, 18 months ({workbook.cells:,} cells)",
            f"{workbook.app.ms:.0f} ms",
            f"{workbook.bare.ms:.0f} ms write-only",
            f"{workbook.app.seconds / workbook.bare.seconds:.1f}x bare openpyxl",
            f"< {EXCEL_GOAL_S} s",
            workbook.app.describe(),
            _met(workbook.app.seconds < EXCEL_GOAL_S),
        ]
    )
    for size, run in (("half", exported.half), ("full", exported.full)):
        table.append(
            [
                f"Programme export {exported.year}, {run.cases:,} cases ({size})",
                f"{run.seconds:.1f} s, {run.rows_per_s:,.0f} rows/s",
                f"peak {run.peak_mb:.0f} MB RSS",
                f"{run.before_mb:.0f} MB before it",
                f"peak < {PROGRAMME_MEMORY_GOAL_MB:.0f} MB",
                f"1 run, {run.rows:,} rows",
                _met(run.peak_mb < PROGRAMME_MEMORY_GOAL_MB),
            ]
        )
    print()
    print(_table(table))
    print(
        f"\nMedians after warm-up runs (import {scale.import_warmups}, trend "
        f"{scale.trend_warmups}). Bare import: pandas.read_csv + Core executemany into "
        f"test_results and substance_results, {imported.bare.describe()}. Bare select: "
        f"the parent's test_results outer-joined to substance_results, "
        f"{trend.bare.describe()}. Planning: hearings.planner.plan for every court in memory "
        f"(warm-ups {scale.planning_warmups}); one case: the same for one case alone, "
        f"{one.describe()}. Compliance: fdac.contacts.loading.compliance_for_cases with the "
        f"read of the open cases (warm-ups {scale.contact_warmups}); bare: one case's contacts "
        f"in the 12 weeks shown, one Core select, {bare.describe()}; flags job: "
        f"raise_team_contact_flags once yesterday's flags exist (compute, compare, commit). "
        f"Summary: bare is Core selects of the case's results x readings up to the period's "
        f"end, and its contacts and hearings of the period (warm-ups "
        f"{scale.summary_warmups}); Excel: bare is openpyxl write-only writing the same cell "
        f"values (warm-ups {scale.excel_warmups}). Programme export: one run each in a child "
        f"process writing to a temporary file; peak memory is the child's peak RSS "
        f"(VmHWM, whole process), beside the same read just before the export started."
    )
    print(f"Finished in {time.perf_counter() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
