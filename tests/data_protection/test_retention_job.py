"""The retention job on real records: a closed case past its period is anonymised, its figures
kept, the fact recorded once, and a second run changes nothing."""

from datetime import date

import pytest
from sqlalchemy import select, text

from fdac.audit.models import AuditEvent
from fdac.audit.verify import verify
from fdac.cases.models import Case, Child, Parent
from fdac.court_documents.models import DocumentVersion
from fdac.extensions import db
from fdac.retention_jobs import anonymise_command, anonymise_due_cases, due_cases
from tests import factories
from tests.data_protection.helpers import closed_family

NAMES = ("Kelly", "Ashworth", "Dean", "Alfie", "Elm Road")


@pytest.fixture
def closed(team):
    return closed_family(team)


def _snapshot() -> dict:
    """Every table's rows but the audit trail's, as sorted tuples."""
    tables = [t for t in db.metadata.sorted_tables if t.name != "audit_events"]
    db.session.rollback()
    return {t.name: _rows(db.session.execute(select(t))) for t in tables}


def _rows(result) -> list[tuple]:
    return sorted(map(tuple, result.all()), key=repr)


def _text_of_case(case_id: int) -> str:
    """Everything stored about the case, but the audit trail, as one string."""
    return repr(_snapshot())


def _after(closed, years=6) -> date:
    return closed.closed_on.replace(year=closed.closed_on.year + years)


def test_a_case_inside_its_period_is_left_alone(closed):
    before = _snapshot()
    result = anonymise_due_cases(date(closed.closed_on.year + 5, 12, 31), years=6)
    assert result.done == 0
    assert _snapshot() == before


def test_a_closed_case_past_its_period_is_anonymised_and_its_figures_kept(closed):
    case_id = closed.family.case.id
    figures_before = _figures(case_id)
    assert due_cases(_after(closed), 6) == [case_id]

    result = anonymise_due_cases(_after(closed), years=6)

    assert (result.done, result.failed) == (1, [])
    db.session.rollback()
    case = db.session.get(Case, case_id)
    assert case.anonymised_on == _after(closed)
    assert case.court_case_number == f"ANON-{case_id}"
    assert case.reference.startswith("FDAC-")  # the team's own counter names no one
    parents = db.session.scalars(
        select(Parent).where(Parent.case_id == case_id).order_by(Parent.id)
    )
    assert [(p.name, p.date_of_birth) for p in parents] == [
        ("Mother", date(1994, 7, 1)),
        ("Father", date(1994, 7, 1)),
    ]
    child = db.session.scalar(select(Child).where(Child.case_id == case_id))
    assert (child.name, child.date_of_birth) == ("Child A", date(2022, 5, 1))
    stored = _text_of_case(case_id)
    for name in NAMES:
        assert name not in stored, name
    # The figures for outcomes: phases and dates, outcome, results and readings, attendance,
    # contacts, hearings, documents, graduation: all there, as they were.
    assert _figures(case_id) == figures_before


def _figures(case_id: int) -> dict:
    db.session.rollback()
    rows = {}
    for sql in (
        "SELECT phase, outcome, entered_on, issued_on FROM cases WHERE id = :c",
        "SELECT from_phase, to_phase, changed_on FROM phase_changes WHERE case_id = :c",
        "SELECT matrix, method, collected_on, status, value FROM test_results WHERE case_id = :c",
        "SELECT substance, starts_on FROM prescriptions WHERE case_id = :c",
        "SELECT kind, outcome, minutes, at FROM contacts WHERE case_id = :c",
        "SELECT kind, day, status FROM hearings WHERE case_id = :c",
        "SELECT parent_id, attended FROM hearing_attendance WHERE case_id = :c",
        "SELECT number, status, period_from, period_to, issued_on FROM court_document_versions"
        " WHERE case_id = :c",
        "SELECT parent_id, graduated_on FROM graduations WHERE case_id = :c",
        "SELECT kind, subject, resolved_at FROM flags WHERE case_id = :c",
        "SELECT weeks, granted_on FROM proceedings_extensions WHERE case_id = :c",
    ):
        rows[sql] = _rows(db.session.execute(text(sql), {"c": case_id}))
    return rows


def test_the_issued_documents_lose_their_words_not_their_place(closed):
    anonymise_due_cases(_after(closed), years=6)
    db.session.rollback()
    versions = db.session.scalars(select(DocumentVersion)).all()
    assert versions and all(v.is_issued for v in versions)
    for version in versions:
        assert version.going_well == version.note == ""
        assert "removed when the case was anonymised" in version.frozen_summary
        assert version.frozen_header["case_number"] == f"ANON-{closed.family.case.id}"
        assert version.frozen_header["judge"] == "HHJ Patel"  # staff stay


def test_one_audit_row_says_what_was_done_without_a_value_and_the_chain_holds(closed):
    case_id = closed.family.case.id
    last = db.session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1))
    anonymise_due_cases(_after(closed), years=6)
    db.session.rollback()
    new = db.session.scalars(select(AuditEvent).where(AuditEvent.id > last)).all()
    assert [(e.action, e.table_name, e.record_id, e.case_id) for e in new] == [
        ("anonymise", "cases", str(case_id), case_id)
    ]
    facts = {key: after for key, (_, after) in new[0].changes.items()}
    assert facts["anonymised_on"] == _after(closed).isoformat()
    assert facts["closed_on"] == closed.closed_on.isoformat()
    assert facts["retention_years"] == 6
    assert "name" in facts["fields"]["parents"] and facts["rows"]["parents"] == 2
    for name in NAMES:
        assert name not in repr(new[0].changes)
    db.session.commit()
    with db.engine.connect() as conn:
        assert verify(conn).ok


def test_running_twice_changes_nothing(closed):
    day = _after(closed)
    anonymise_due_cases(day, years=6)
    before = _snapshot()
    audit_rows = db.session.scalar(select(db.func.count()).select_from(AuditEvent))
    result = anonymise_due_cases(day, years=6)
    assert result.done == 0
    assert _snapshot() == before
    assert db.session.scalar(select(db.func.count()).select_from(AuditEvent)) == audit_rows


def test_a_case_claimed_by_another_run_is_not_written_again(closed):
    """Two schedulers: both listed the case, the other claimed it first."""
    from fdac.retention_jobs import anonymise_case

    day = _after(closed)
    anonymise_due_cases(day, years=6)
    before = _snapshot()
    assert anonymise_case(closed.family.case.id, day, 6) == 0
    db.session.commit()
    assert _snapshot() == before


def test_open_cases_and_other_closed_cases_are_untouched(closed, team):
    open_case = factories.make_case(team)
    factories.add_parent(open_case, "Sam Open")
    recent = factories.make_case(team, phase=factories.Phase.CLOSED, entered_on=_after(closed))
    factories.add_parent(recent, "Robin Recent")
    anonymise_due_cases(_after(closed), years=6)
    db.session.rollback()
    names = set(db.session.scalars(select(Parent.name)))
    assert {"Sam Open", "Robin Recent", "Mother", "Father"} == names


def test_the_command_lists_then_anonymises(app, closed):
    runner = app.test_cli_runner()
    day = _after(closed).isoformat()
    listed = runner.invoke(anonymise_command, ["--today", day, "--dry-run"])
    assert listed.exit_code == 0, listed.output
    assert closed.family.case.reference in listed.output
    assert "1 closed cases due" in listed.output
    done = runner.invoke(anonymise_command, ["--today", day])
    assert done.exit_code == 0, done.output
    assert "Anonymised 1 closed cases" in done.output
    again = runner.invoke(anonymise_command, ["--today", day])
    assert "Anonymised 0 closed cases" in again.output
