"""The subject access export: the manager asks on a page (a GET changes nothing), downloads a
ZIP of everything held about one parent (the POST, audited), and no one else may."""

import io
import json
import zipfile

import pytest
from flask import url_for
from sqlalchemy import func, select

from fdac.audit.models import AuditEvent
from fdac.extensions import db
from tests.data_protection.helpers import closed_family


@pytest.fixture
def closed(team):
    return closed_family(team)


def _url(closed, parent=None):
    parent = parent or closed.family.parent
    return url_for(
        "subject_access.export", reference=closed.family.case.reference, parent_id=parent.id
    )


def _audit_count() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(AuditEvent))


def _download(client, closed, parent=None):
    page = client.get(
        "subject_access.export",
        reference=closed.family.case.reference,
        parent_id=(parent or closed.family.parent).id,
    )
    token = page.select_one("input[name=csrf_token]")["value"]
    return client.raw.post(_url(closed, parent), data={"csrf_token": token})


def test_the_page_asks_first_and_changes_nothing(closed, signed_in):
    manager = signed_in("team_manager")
    before = _audit_count()
    page = manager.get(
        "subject_access.export",
        reference=closed.family.case.reference,
        parent_id=closed.family.parent.id,
    )
    assert "Download everything held about Kelly Ashworth?" in page.h1.get_text()
    assert page.select_one("form[method=post] input[name=csrf_token]")
    assert _audit_count() == before


def test_the_manager_downloads_everything_about_one_parent_and_it_is_audited(closed, signed_in):
    manager = signed_in("team_manager")
    before = _audit_count()
    response = _download(manager, closed)
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    disposition = response.headers["Content-Disposition"]
    assert f"{closed.family.case.reference}-subject-access-parent-" in disposition
    assert "Kelly" not in disposition

    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert sorted(archive.namelist()) == ["subject-access.html", "subject-access.json"]
    record = json.loads(archive.read("subject-access.json"))
    assert record["parent"]["name"] == "Kelly Ashworth"
    assert record["case"]["court_case_number"] == "ZW27C00042"
    assert [c["name"] for c in record["children"]] == ["Alfie Ashworth"]
    assert {r["matrix"] for r in record["test_results"]} == {"breath"}  # hers, not Dean's PEth
    assert record["contacts"][0]["note"].startswith("Kelly talked")
    assert record["prescriptions"][0]["medication"] == "Methadone oral solution"
    assert any(o["attended"] for h in record["hearings"] for o in h["outcomes"])
    assert {d["kind"] for d in record["court_documents"]} == {"review_report", "hearing_note"}
    assert record["graduation"]["note"] == "Kelly spoke at the ceremony"
    assert record["flags"] == []  # the only flag is about Dean
    assert record["audit_trail"]
    # The other parent is left out: his record, his results, his trail.
    assert "Dean Ashworth" not in json.dumps(record)
    page = archive.read("subject-access.html").decode()
    assert "Everything FDAC Manager holds about Kelly Ashworth" in page
    assert "Kelly talked about her mother" in page

    db.session.rollback()
    rows = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()[before:]
    assert [(e.action, e.table_name, e.record_id, e.actor_id) for e in rows] == [
        ("export", "parents", str(closed.family.parent.id), manager.user.id)
    ]
    assert "Kelly" not in json.dumps(rows[0].changes)  # who and how, never a value


def test_every_version_of_a_result_is_in_the_export(closed, signed_in):
    manager = signed_in("team_manager")
    first = db.session.scalars(
        select(AuditEvent).where(AuditEvent.table_name == "test_results")
    ).first()
    assert first is not None
    from testing_results.models import TestResult

    original = db.session.scalar(
        select(TestResult).where(TestResult.parent_id == closed.family.parent.id)
    )
    amended = TestResult(
        case_id=original.case_id,
        parent_id=original.parent_id,
        matrix=original.matrix,
        method=original.method,
        collected_on=original.collected_on,
        value=original.value,
        amends_id=original.id,
        amendment_reason="Typed the wrong reading",
    )
    db.session.add(amended)
    db.session.commit()
    record = json.loads(
        zipfile.ZipFile(io.BytesIO(_download(manager, closed).data)).read("subject-access.json")
    )
    by_id = {r["id"]: r for r in record["test_results"]}
    assert by_id[original.id]["current_version"] is False
    assert by_id[amended.id]["amends_id"] == original.id
    assert by_id[amended.id]["current_version"] is True


@pytest.mark.parametrize(("role", "status"), [("practitioner", 403), ("judge", 404)])
def test_no_one_but_the_manager_may_ask(closed, signed_in, role, status):
    client = signed_in(role)
    response = client.raw.get(_url(closed))
    assert response.status_code == status


def test_an_admin_never_sees_the_parent(closed, signed_in):
    admin = signed_in("admin")
    assert admin.raw.get(_url(closed)).status_code == 404


def test_another_teams_manager_is_not_told_the_case_exists(closed, signed_in):
    from tests import factories

    other = factories.make_user("team_manager", team=factories.make_team())
    client = signed_in(other)
    assert client.raw.get(_url(closed)).status_code == 404


def test_a_parent_of_another_case_is_not_found(closed, signed_in, team):
    from tests import factories

    stranger = factories.add_parent(factories.make_case(team), "Sam Stranger")
    manager = signed_in("team_manager")
    assert manager.raw.get(_url(closed, stranger)).status_code == 404


def test_an_anonymised_case_exports_what_is_left(closed, signed_in):
    from fdac.retention_jobs import anonymise_due_cases

    day = closed.closed_on.replace(year=closed.closed_on.year + 6)
    anonymise_due_cases(day, years=6)
    manager = signed_in("team_manager")
    record = json.loads(
        zipfile.ZipFile(io.BytesIO(_download(manager, closed).data)).read("subject-access.json")
    )
    assert record["parent"]["name"] == "Mother"
    assert record["case"]["anonymised_on"] == day.isoformat()
    case_page = manager.get("cases.show", reference=closed.family.case.reference)
    banner = case_page.select_one("#anonymised").get_text(" ", strip=True)
    assert f"anonymised on {day.day} {day:%B %Y}" in banner


def test_the_case_page_links_the_manager_to_each_parents_export(closed, signed_in):
    case = closed.family.case
    manager_page = signed_in("team_manager").get("cases.show", reference=case.reference)
    links = manager_page.select("#subject-access-links a")
    assert [a["href"] for a in links] == [_url(closed, p) for p in case.parents]
    worker_page = signed_in("practitioner").get("cases.show", reference=case.reference)
    assert worker_page.select_one("#subject-access-links") is None
