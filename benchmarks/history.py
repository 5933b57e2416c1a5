"""A database already holding a history, bulk-inserted with SQLAlchemy Core executemany (the
ORM would take minutes): teams, cases, parents, and for each case 18 months of testing.

The tested parent in each case has three tests a week (Monday urine screen, Wednesday oral
fluid screen, Friday breath), with a PEth test every fourth Friday, a hair test every
thirteenth Wednesday, a missed test now and then, a lab confirmation of each positive urine
screen, and one amended result: what the trend page reads. The other parent in every other
case has a weekly urine screen. Cases, parents and results get the audit rows the app writes.
"""

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import func, insert, select

from benchmarks.database import analyse, reset_sequences
from fdac.audit import chain
from fdac.audit.models import AuditEvent
from fdac.auth.roles import Role
from fdac.cases.models import Case, Parent, PhaseChange
from fdac.cases.people import Relationship
from fdac.cases.phases import Phase
from fdac.extensions import db
from testing_results.interpret import Reading, Status
from testing_results.models import HairSegment, Method, SubstanceResult, TestResult
from testing_results.panels import MATRICES, Matrix, Substance, default_cutoff
from tests import factories

WEEKS = 78  # 18 months
LAB = "Northgate Toxicology"
CHUNK = 20_000  # rows per executemany
MOTHERS = ("Kelly", "Amy", "Leanne", "Chantelle", "Jade", "Natalie", "Stacey", "Gemma")
FATHERS = ("Dean", "Liam", "Craig", "Jamie", "Wayne", "Ryan", "Lee", "Darren")
SURNAMES = ("Ashworth", "Begum", "Clarke", "Davies", "Evans", "Hughes", "Khan", "Nowak")
HAIR_SUBSTANCES = (Substance.COCAINE, Substance.CANNABIS, Substance.ALCOHOL)
# The audit rows the app writes, for the records a person reads in the trail. Not for each
# reading and hair segment: half a million more rows of JSON would double the set-up time and
# change neither figure (the importer only appends to the trail, the trend page never reads it).
AUDITED = (Case, PhaseChange, Parent, TestResult)
FLUSH_ORDER = ("cases", "phase_changes", "parents", "test_results", "hair_segments")
FLUSH_ORDER += ("substance_results", "audit_events")
HAIR_SEGMENTS = ((Decimal(0), Decimal(1)), (Decimal(1), Decimal(2)), (Decimal(2), Decimal(3)))


@dataclass(frozen=True)
class Family:
    case_id: int
    reference: str
    team_id: int
    entered_on: date
    parents: tuple[tuple[int, str], ...]  # (id, name): the tested parent first


@dataclass
class History:
    today: date
    families: list[Family]
    importer_id: int  # a practitioner of the first team: imports the lab file
    viewer_email: str  # the same practitioner signs in to view the trend page
    counts: dict[str, int] = field(default_factory=dict)

    def team(self, team_id: int) -> list[Family]:
        return [f for f in self.families if f.team_id == team_id]


def _plain(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value  # str enums are str already


class _Writer:
    """Buffers rows per table and writes them in executemany chunks, with audit rows."""

    def __init__(self, actor: tuple[int, str], now: datetime):
        self.actor, self.now = actor, now
        self.next_id: dict[str, int] = {}
        self.buffers: dict[str, list[dict]] = {}
        self.tables = {}
        self.counts: dict[str, int] = {}

    def add(self, model, row: dict, case_id: int | None) -> int:
        """Queue `row` with the next free id (returned); case_id None: the row is a case."""
        table = model.__table__
        if table.name not in self.tables:
            self.tables[table.name] = table
            self.next_id[table.name] = db.session.scalar(select(func.max(table.c.id))) or 0
        row["id"] = self.next_id[table.name] = self.next_id[table.name] + 1
        self.buffers.setdefault(table.name, []).append(row)
        case_id = row["id"] if case_id is None else case_id
        if model in AUDITED:
            self.add(
                AuditEvent,
                {
                    "at": self.now,
                    "actor_id": self.actor[0],
                    "actor_label": self.actor[1],
                    "action": "insert",
                    "table_name": table.name,
                    "record_id": str(row["id"]),
                    "case_id": case_id,
                    "changes": {k: [None, _plain(v)] for k, v in row.items()},
                },
                case_id,
            )
        return row["id"]

    def flush(self, force: bool = False) -> None:
        if not force and sum(map(len, self.buffers.values())) < CHUNK:
            return
        with db.engine.begin() as conn:
            for name in FLUSH_ORDER:  # rows before the rows that refer to them
                rows = self.buffers.get(name)
                if rows:
                    if name == "audit_events":  # each hashed onto the one before, ids ascending
                        chain.append(conn, rows)
                    else:
                        conn.execute(insert(self.tables[name]), rows)
                    self.counts[name] = self.counts.get(name, 0) + len(rows)
                    rows.clear()


class _Testing:
    """One parent's results, as the services would have stored them."""

    def __init__(self, writer: _Writer, rng: random.Random, case_id: int, parent_id: int, by):
        self.w, self.rng, self.by = writer, rng, by
        self.case_id, self.parent_id = case_id, parent_id
        self.taken = True  # whether the last result's test happened

    def result(self, matrix: Matrix, method: Method, on: date, **fields) -> int:
        row = {
            "case_id": self.case_id,
            "parent_id": self.parent_id,
            "matrix": matrix,
            "method": method,
            "collected_on": on,
            "status": Status.RESULT,
            "status_reason": "",
            "observed": self.rng.random() < 0.8,
            "value": None,
            "creatinine_mg_dl": None,
            "sample_length_cm": None,
            "lab_name": LAB if method is Method.LABORATORY else "",
            "lab_reference": "",
            "reported_on": on + timedelta(days=4) if method is Method.LABORATORY else None,
            "confirms_id": None,
            "amends_id": None,
            "amendment_reason": "",
            "note": "",
            "import_key": None,
            "import_id": None,
            "entered_by_id": self.by,
            "entered_at": datetime.combine(on, time(12), UTC),
        }
        row.update(fields)
        if self.rng.random() < 0.04 and "amends_id" not in fields and "confirms_id" not in fields:
            row.update(status=Status.MISSED, status_reason="Did not attend", value=None)
        self.taken = row["status"] is Status.RESULT
        return self.w.add(TestResult, row, self.case_id)

    def reading(self, result_id: int, substance: Substance, **fields) -> None:
        row = {"result_id": result_id, "substance": substance, "screen": None, "value": None}
        row |= {"cutoff": None, "segment_id": None} | fields
        self.w.add(SubstanceResult, row, self.case_id)

    def screen(self, matrix: Matrix, on: date) -> tuple[int, list[Substance]]:
        """A point-of-care screen: its id, and the substances it found."""
        result_id = self.result(matrix, Method.POINT_OF_CARE, on)
        found = []
        if not self.taken:
            return result_id, found
        for substance in MATRICES[matrix].substances:
            positive = substance in (Substance.COCAINE, Substance.CANNABIS) and (
                self.rng.random() < 0.06
            )
            self.reading(
                result_id, substance, screen=Reading.POSITIVE if positive else Reading.NEGATIVE
            )
            if positive:
                found.append(substance)
        return result_id, found

    def confirmation(self, screen_id: int, on: date, found: list[Substance]) -> None:
        result_id = self.result(
            Matrix.URINE,
            Method.LABORATORY,
            on,
            confirms_id=screen_id,
            creatinine_mg_dl=Decimal(self.rng.randint(40, 200)),
            lab_reference=f"H-{screen_id}",
        )
        for substance in MATRICES[Matrix.URINE].substances:
            cutoff = default_cutoff(Matrix.URINE, substance)
            value = cutoff * 2 if substance in found else Decimal(0)
            self.reading(result_id, substance, value=value, cutoff=cutoff)

    def single(self, matrix: Matrix, on: date, value: Decimal, **fields) -> int:
        method = Method.LABORATORY if matrix is Matrix.PETH else Method.POINT_OF_CARE
        return self.result(matrix, method, on, value=value, **fields)

    def hair(self, on: date) -> None:
        result_id = self.result(
            Matrix.HAIR, Method.LABORATORY, on, sample_length_cm=Decimal(3), lab_reference="H-1"
        )
        if not self.taken:
            return
        for position, (start, end) in enumerate(HAIR_SEGMENTS):
            segment_id = self.w.add(
                HairSegment,
                {"result_id": result_id, "position": position, "from_cm": start, "to_cm": end},
                self.case_id,
            )
            for substance in HAIR_SUBSTANCES:
                value = Decimal(self.rng.randint(0, 300)) / 100
                cutoff = default_cutoff(Matrix.HAIR, substance)
                self.reading(
                    result_id, substance, value=value, cutoff=cutoff, segment_id=segment_id
                )


def _three_a_week(testing: _Testing, start: date, rng: random.Random) -> None:
    for week in range(WEEKS):
        monday = start + timedelta(weeks=week)
        wednesday, friday = monday + timedelta(days=2), monday + timedelta(days=4)
        screen_id, found = testing.screen(Matrix.URINE, monday)
        if found:
            testing.confirmation(screen_id, monday, found)
        if week % 13 == 6:
            testing.hair(wednesday)
        else:
            testing.screen(Matrix.ORAL_FLUID, wednesday)
        if week % 4 == 3:
            testing.single(Matrix.PETH, friday, Decimal(rng.randint(5, 80)))
        else:
            breath_id = testing.single(Matrix.BREATH, friday, Decimal(0))
            if week == 5:  # one correction, so the page shows a result with its versions
                testing.single(
                    Matrix.BREATH,
                    friday,
                    Decimal(12),
                    amends_id=breath_id,
                    amendment_reason="Reading typed in the wrong box",
                )


def build(*, cases: int, teams: int, today: date, seed: int = 20) -> History:
    """Teams, their people, and `cases` families with 18 months of testing each."""
    rng = random.Random(seed)
    team_rows = [factories.make_team(f"Bench team {i + 1}") for i in range(teams)]
    workers = [factories.make_user(Role.PRACTITIONER, team=t) for t in team_rows]
    for team in team_rows:
        factories.make_user(Role.TEAM_MANAGER, team=team)
    importer = workers[0]
    now = datetime.now(UTC)
    writer = _Writer((importer.id, f"{importer.name} <{importer.email}>"), now)
    families = []
    for n in range(1, cases + 1):
        team = team_rows[(n - 1) % teams]
        by = workers[(n - 1) % teams].id
        entered = today - timedelta(weeks=WEEKS, days=2 + n % 14)
        reference = f"FDAC-{entered.year}-{n:04d}"
        case_id = writer.add(
            Case,
            {
                "reference": reference,
                "court_case_number": f"{team.court_code}{entered:%y}C{n:05d}",
                "team_id": team.id,
                "local_authority": "Riverside Borough Council",
                "issued_on": entered - timedelta(days=3),
                "entered_on": entered,
                "phase": Phase.TRIAL_FOR_CHANGE,
                "outcome": None,
                "keyworker_id": by,
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
                "changed_by_id": by,
                "note": "",
                "created_at": now,
            },
            case_id,
        )
        surname = SURNAMES[n % len(SURNAMES)]
        parents = []
        for first, relationship in (
            (MOTHERS[n % len(MOTHERS)], Relationship.MOTHER),
            (FATHERS[n % len(FATHERS)], Relationship.FATHER),
        ):
            name = f"{first} {surname}"
            parent_id = writer.add(
                Parent,
                {
                    "case_id": case_id,
                    "name": name,
                    "date_of_birth": date(1990 + n % 10, 1 + n % 12, 1 + n % 28),
                    "relationship_to_children": relationship,
                },
                case_id,
            )
            parents.append((parent_id, name))
        families.append(Family(case_id, reference, team.id, entered, tuple(parents)))
        start = entered + timedelta(days=1)
        _three_a_week(_Testing(writer, rng, case_id, parents[0][0], by), start, rng)
        if n % 2:
            other = _Testing(writer, rng, case_id, parents[1][0], by)
            for week in range(WEEKS):
                other.screen(Matrix.URINE, start + timedelta(weeks=week, days=1))
        writer.flush()
    writer.flush(force=True)
    tables = [Case, PhaseChange, Parent, TestResult, HairSegment, SubstanceResult, AuditEvent]
    reset_sequences(*(m.__table__ for m in tables))
    analyse(*(m.__table__ for m in tables))
    return History(today, families, importer.id, importer.email, dict(writer.counts))
