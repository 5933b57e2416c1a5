"""Subject access: everything FDAC Manager holds about one parent, as one download.

A ZIP of two files (docs/decisions/0035): `subject-access.json`, the whole record in a
commonly used machine-readable form (UK GDPR Art. 15(3), and what Art. 20 asks for), and
`subject-access.html`, the same record to read or print in any browser, with nothing to
install. Every version of every test result is there, with what it amends or confirms;
hearing outcomes with each amendment; each court document version's words.

What is left out, on purpose: the other parents of the case (third parties: DPA 2018 Sch. 2
para 16), their results, contacts and prescriptions, and audit rows about their records. The
children are in (the brief and the parent's own proceedings are about them). The manager must
still read the export before it is sent: free text can name anyone.

`gather` reads only; the view audits the export (an `export` row: who, which parent, which
format, never a value) before the file leaves.
"""

import io
import json
import zipfile
from datetime import date, datetime

from flask import render_template
from sqlalchemy import select

from fdac.audit.models import AuditEvent
from fdac.audit.recorder import plain
from fdac.cases.models import Case, Parent
from fdac.contacts.models import Contact
from fdac.court_documents.models import CourtDocument
from fdac.extensions import db
from fdac.flags.models import Flag
from fdac.graduations.models import Graduation
from hearings.models import Extension, Hearing, HearingAttendance
from testing_results.models import HairSegment, Prescription, SubstanceResult, TestResult

FORMAT = "subject-access-zip"


def _row(obj, leave_out: tuple[str, ...] = ()) -> dict:
    """Every column of a record as JSON values (what the record holds, as it holds it)."""
    return {
        column.key: plain(getattr(obj, column.key))
        for column in obj.__mapper__.column_attrs
        if column.key not in leave_out
    }


def _name(user) -> str | None:
    return user.name if user is not None else None


def _case(case: Case) -> dict:
    return _row(case, ("team_id", "keyworker_id", "judge_id")) | {
        "team": case.team.name,
        "court": case.team.court_name,
        "keyworker": _name(case.keyworker),
        "judge": _name(case.judge),
        "phase_history": [
            _row(move, ("case_id", "changed_by_id")) | {"changed_by": _name(move.changed_by)}
            for move in case.phase_changes
        ],
    }


def _results(parent: Parent) -> list[dict]:
    results = db.session.scalars(
        select(TestResult)
        .where(TestResult.parent_id == parent.id)
        .order_by(TestResult.collected_on, TestResult.id)
    ).all()
    amended = {r.amends_id for r in results if r.amends_id is not None}
    return [
        _row(result, ("import_key", "entered_by_id"))
        | {
            "title": result.title,
            "current_version": result.id not in amended,
            "entered_by": _name(result.entered_by),
            "segments": [_row(s, ("result_id",)) for s in result.segments],
            "readings": [_row(r, ("result_id",)) for r in result.readings],
        }
        for result in results
    ]


def _contacts(parent: Parent) -> list[dict]:
    contacts = db.session.scalars(
        select(Contact).where(Contact.parent_id == parent.id).order_by(Contact.at, Contact.id)
    ).all()
    return [
        _row(c, ("recorded_by_id",))
        | {"practitioners": [u.name for u in c.practitioners], "recorded_by": _name(c.recorded_by)}
        for c in contacts
    ]


def _hearings(case: Case, parent: Parent) -> list[dict]:
    hearings = db.session.scalars(
        select(Hearing).where(Hearing.case_id == case.id).order_by(Hearing.day, Hearing.id)
    ).all()
    shown = []
    for hearing in hearings:
        outcomes = []
        for outcome in hearing.outcomes:
            attended = [a.attended for a in outcome.attendance if a.parent_id == parent.id]
            outcomes.append(
                _row(outcome, ("recorded_by_id",))
                | {
                    "recorded_by": _name(outcome.recorded_by),
                    "attended": attended[0] if attended else None,
                }
            )
        shown.append(
            _row(hearing, ("booked_by_id", "judge_id", "sitting_id", "slot"))
            | {
                "judge": _name(hearing.judge),
                "changes": [_row(c, ("changed_by_id",)) for c in hearing.changes],
                "outcomes": outcomes,
            }
        )
    return shown


def _documents(case: Case) -> list[dict]:
    documents = db.session.scalars(
        select(CourtDocument).where(CourtDocument.case_id == case.id).order_by(CourtDocument.id)
    ).all()
    return [
        _row(d, ("created_by_id",))
        | {
            "versions": [
                _row(v, ("author_id", "approver_id", "returned_by_id"))
                | {"author": _name(v.author), "approver": _name(v.approver)}
                for v in d.versions
            ]
        }
        for d in documents
    ]


def _others(case: Case, parent: Parent) -> set[tuple[str, str]]:
    """(table, record id) of the other parents' own records: left out of the audit rows."""
    others = [p.id for p in case.parents if p.id != parent.id]
    if not others:
        return set()
    keys = {("parents", str(i)) for i in others} | {("test_results", f"parent:{i}") for i in others}
    for model, table in (
        (TestResult, "test_results"),
        (Contact, "contacts"),
        (Prescription, "prescriptions"),
        (Graduation, "graduations"),
        (HearingAttendance, "hearing_attendance"),
    ):
        ids = db.session.scalars(select(model.id).where(model.parent_id.in_(others)))
        keys |= {(table, str(i)) for i in ids}
    their_results = select(TestResult.id).where(TestResult.parent_id.in_(others))
    for model, table in ((SubstanceResult, "substance_results"), (HairSegment, "hair_segments")):
        ids = db.session.scalars(select(model.id).where(model.result_id.in_(their_results)))
        keys |= {(table, str(i)) for i in ids}
    subjects = [f"parent:{i}" for i in others]
    flags = db.session.scalars(
        select(Flag.id).where(Flag.case_id == case.id, Flag.subject.in_(subjects))
    )
    return keys | {("flags", str(i)) for i in flags}


def _audit(case: Case, parent: Parent) -> list[dict]:
    """The trail's rows about the case's records, but for the other parents' own."""
    others = _others(case, parent)
    rows = db.session.scalars(
        select(AuditEvent).where(AuditEvent.case_id == case.id).order_by(AuditEvent.id)
    ).all()
    return [
        {
            "id": row.id,
            "at": plain(row.at),
            "by": row.actor_label,
            "action": row.action,
            "table": row.table_name,
            "record_id": row.record_id,
            "changes": row.changes,
        }
        for row in rows
        if (row.table_name, row.record_id) not in others
    ]


def gather(parent: Parent, *, by: str, at: datetime) -> dict:
    """Everything held about `parent`, as JSON values. Reads only."""
    case = parent.case
    graduation = db.session.scalar(select(Graduation).where(Graduation.parent_id == parent.id))
    return {
        "about": {
            "what": "Everything FDAC Manager holds about one parent (subject access request)",
            "made_at": plain(at),
            "made_by": by,
            "parent_id": parent.id,
            "case_reference": case.reference,
            "left_out": "The other parents of the case and their own records (third parties).",
        },
        "parent": _row(parent),
        "case": _case(case),
        "children": [_row(c) for c in case.children],
        "test_results": _results(parent),
        "prescriptions": [
            _row(p, ("entered_by_id",))
            for p in db.session.scalars(
                select(Prescription)
                .where(Prescription.parent_id == parent.id)
                .order_by(Prescription.starts_on, Prescription.id)
            )
        ],
        "contacts": _contacts(parent),
        "hearings": _hearings(case, parent),
        "extensions": [
            _row(e, ("recorded_by_id",))
            for e in db.session.scalars(
                select(Extension).where(Extension.case_id == case.id).order_by(Extension.id)
            )
        ],
        "court_documents": _documents(case),
        "flags": [
            _row(f, ("resolved_by_id",))
            for f in db.session.scalars(
                select(Flag).where(Flag.case_id == case.id).order_by(Flag.id)
            )
            if not f.subject.startswith("parent:") or f.subject == f"parent:{parent.id}"
        ],
        "graduation": (
            _row(graduation, ("confirmed_by_id",))
            | {"support": [_row(s, ("recorded_by_id",)) for s in graduation.support]}
            if graduation is not None
            else None
        ),
        "audit_trail": _audit(case, parent),
    }


def download_name(parent: Parent, today: date) -> str:
    """Names no one: the FDAC reference and the parent's record number."""
    return f"{parent.case.reference}-subject-access-parent-{parent.id}-{today.isoformat()}.zip"


def export_zip(parent: Parent, *, by: str, at: datetime) -> bytes:
    """The ZIP: the record as JSON and as a page to read. Reads only."""
    record = gather(parent, by=by, at=at)
    page = render_template("subject_access/export.html", record=record, parent=parent)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "subject-access.json", json.dumps(record, indent=2, ensure_ascii=False, default=str)
        )
        archive.writestr("subject-access.html", page)
    return buffer.getvalue()
