"""Anonymised exports of the progress summary: the workbook (every cell read back with
openpyxl) and the PDF (its text extracted) carry none of the case's names; a name that slips
through stops the export; each one is audited as anonymised."""

import re
from datetime import UTC, date, datetime, time
from io import BytesIO

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook
from sqlalchemy import select

from fdac.audit.models import AuditEvent
from fdac.auth.models import User
from fdac.cases.people import Relationship
from fdac.extensions import db
from fdac.reports.anonymise import Pseudonyms
from fdac.reports.case_pseudonyms import pseudonyms_for_case
from hearings.kinds import HearingStatus
from testing_results.interpret import Status
from tests import factories
from tests.contacts.caseload_helpers import add_contact
from tests.pdf import pdf_text
from tests.reports.test_excel import add_urine
from tests.reports.test_summary import add_breath, hold

PERIOD = {"from": "2027-03-02", "to": "2027-03-15"}
TITLES = {"HHJ", "DJ", "Mr", "Mrs", "Ms"}


def demo_like_family(team):
    """A family as the demo has them: two parents, two children, their judge, keyworker and a
    second practitioner; results, contacts, hearings and free text naming them all."""
    judge = factories.make_user("judge", team=team, name="HHJ Eleanor Marsh")
    priya = factories.make_user("practitioner", team=team, name="Priya Shah")
    tom = factories.make_user("practitioner", team=team, name="Tom Okafor")
    case = factories.make_case(
        team,
        judge_id=judge.id,
        keyworker_id=priya.id,
        entered_on=date(2027, 1, 4),
        issued_on=date(2027, 1, 1),
        reference="FDAC-2027-0011",
        court_case_number="ZW27C00011",
    )
    kelly = factories.add_parent(case, "Kelly Ashworth")
    dean = factories.add_parent(case, "Dean Ashworth")
    dean.relationship_to_children = Relationship.FATHER
    factories.add_child(case, "Alfie Ashworth")
    grace = factories.add_child(case, "Grace Ashworth")
    grace.date_of_birth = date(2019, 9, 1)  # the older child: Child A
    db.session.commit()

    add_breath(kelly, date(2027, 3, 3))
    add_urine(dean, date(2027, 3, 5), "200")  # positive: a notable event naming Dean
    add_breath(kelly, date(2027, 3, 8), status=Status.MISSED)
    visit = add_contact(kelly, date(2027, 3, 4), at=time(14, 30))
    visit.practitioners.append(priya)
    missed = add_contact(dean, date(2027, 3, 11), "did_not_attend")
    missed.practitioners.append(tom)
    db.session.commit()
    hold(
        case,
        date(2027, 3, 1),
        "Kelly to attend every test. Dean to join Priya's parenting group; "
        "Grace and Alfie to see Tom Okafor weekly.",
    )
    cancelled = factories.add_hearing(
        case, date(2027, 3, 12), "irh", status=HearingStatus.CANCELLED
    )
    cancelled.cancel_reason = "HHJ Marsh away; Kelly Ashworth told by Priya"
    change = cancelled.record_change("cancelled", "Judge Marsh away: Dean and Kelly told")
    change.changed_at = datetime(2027, 3, 10, 12, tzinfo=UTC)
    db.session.commit()
    return case, judge


def case_name_words(case) -> set[str]:
    """Every word of every name the export could carry (titles aside)."""
    people = [*case.parents, *case.children, case.judge, case.keyworker]
    people += db.session.scalars(select(User).where(User.team_id == case.team_id)).all()
    return {word for p in people for word in p.name.split() if word not in TITLES}


def names_in(text: str, words: set[str]) -> list[str]:
    """The name words found in `text` as whole words, in any case: independent of the code
    under test."""
    return sorted(w for w in words if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text, re.I))


def workbook_strings(content: bytes) -> str:
    wb = load_workbook(BytesIO(content))
    cells = [
        value
        for ws in wb.worksheets
        for row in ws.iter_rows(values_only=True)
        for value in row
        if isinstance(value, str)
    ]
    return "\n".join([*cells, *wb.sheetnames, wb.properties.creator or "", wb.properties.title])


@pytest.fixture
def family(team):
    return demo_like_family(team)


def download(client, case, extension, **query):
    return client.raw.get(f"/cases/{case.reference}/summary.{extension}", query_string=query)


def test_an_anonymised_workbook_contains_none_of_the_cases_names(family, signed_in):
    case, judge = family
    words = case_name_words(case)
    client = signed_in(judge)

    named = download(client, case, "xlsx", **PERIOD)
    assert {"Kelly", "Dean", "Priya", "Marsh"} <= set(names_in(workbook_strings(named.data), words))

    response = download(client, case, "xlsx", anonymise="1", **PERIOD)
    assert response.status_code == 200, response.text[:500]
    assert response.headers["Content-Disposition"].endswith(
        "filename=FDAC-2027-0011-summary-anonymised-2027-03-02-to-2027-03-15.xlsx"
    )
    text = workbook_strings(response.data)
    assert names_in(text, words) == []

    wb = load_workbook(BytesIO(response.data))
    summary = {row[0]: row[1] for row in wb["Summary"].iter_rows(values_only=True) if row[0]}
    assert summary["Judge"] == "HHJ EM"
    assert summary["Prepared by"] == "HHJ EM"
    assert "The mother" in summary and "The father" in summary
    assert summary["Last review's goals"] == (
        "The mother to attend every test. The father to join PS's parenting group; "
        "Child A and Child B to see TO weekly."
    )
    parents = {row[1] for row in wb["Test results"].iter_rows(min_row=2, values_only=True)}
    assert parents == {"The mother", "The father"}
    assert [row[5] for row in wb["Contacts"].iter_rows(min_row=2, values_only=True)] == [
        "PS",
        "TO",
    ]
    assert wb.properties.creator == "HHJ EM"


def test_an_anonymised_pdf_contains_none_of_the_cases_names(family, signed_in, tmp_path):
    case, judge = family
    words = case_name_words(case)

    response = download(signed_in(judge), case, "pdf", anonymise="1", **PERIOD)

    assert response.status_code == 200, response.text[:500]
    assert response.mimetype == "application/pdf"
    assert "summary-anonymised" in response.headers["Content-Disposition"]
    text = pdf_text(response.data, tmp_path)
    assert names_in(text, words) == []
    assert "ZW27C00011" in text and "Judge: HHJ EM" in text
    assert "Prepared by HHJ EM on" in text
    assert "Progress summary: the mother and the father" in text
    assert "The mother to attend every test" in text
    assert "Anonymised: children as Child A, B" in text


def test_the_named_pdf_still_names_everyone(family, signed_in, tmp_path):
    case, judge = family
    text = pdf_text(download(signed_in(judge), case, "pdf", **PERIOD).data, tmp_path)
    assert {"Kelly", "Dean", "Eleanor", "Priya"} <= set(names_in(text, case_name_words(case)))


@pytest.mark.parametrize("extension", ["xlsx", "pdf"])
def test_an_anonymised_export_is_audited_as_anonymised(family, signed_in, extension):
    case, judge = family
    download(signed_in(judge), case, extension, anonymise="1", **PERIOD)

    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all()
    assert event.case_id == case.id and event.actor_id == judge.id
    assert event.changes["format"] == [None, extension]
    assert event.changes["anonymised"] == [None, True]
    assert event.changes["from"] == [None, "2027-03-02"]


@pytest.mark.parametrize("extension", ["xlsx", "pdf"])
def test_a_name_that_slips_through_stops_the_export(family, signed_in, monkeypatch, extension):
    case, judge = family
    # Force a name through: the stand-ins stop replacing first names in free text.
    original = Pseudonyms.apply
    monkeypatch.setattr(
        Pseudonyms, "apply", lambda self, text: original(self, text).replace("The mother", "Kelly")
    )

    response = download(signed_in(judge), case, extension, anonymise="1", **PERIOD)

    assert response.status_code == 422
    assert response.mimetype == "text/html"
    assert "attachment" not in response.headers.get("Content-Disposition", "")
    page = BeautifulSoup(response.data, "html.parser")
    assert page.h1.get_text(strip=True) == "The anonymised export was stopped"
    assert [li.get_text(strip=True) for li in page.select("#names-left li")] == ["Kelly"]
    # Nothing left the system, so there is no export in the audit trail.
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all() == []


def test_the_summary_page_offers_anonymised_downloads(family, signed_in):
    case, judge = family
    page = signed_in(judge).get("reports.summary", reference=case.reference, **PERIOD)

    excel = page.select_one("#download-xlsx-anonymised")
    pdf = page.select_one("#download-pdf-anonymised")
    assert excel.get_text(strip=True) == "Download anonymised Excel"
    assert "anonymise=1" in excel["href"] and "from=2027-03-02" in excel["href"]
    assert pdf.get_text(strip=True) == "Download anonymised PDF"
    # The page itself still names the family: anonymisation is for what leaves.
    assert "Kelly Ashworth" in page.h1.get_text()


def test_the_cases_pseudonyms_cover_its_family_and_everyone_around_it(family):
    case, _ = family
    names = pseudonyms_for_case(case, ["Sam Author"])
    assert names.name_for("Grace Ashworth") == "Child A"
    assert names.name_for("Alfie Ashworth") == "Child B"
    assert names.name_for(case.parents[0]) == "the mother"
    assert names.name_for(case.parents[1]) == "the father"
    assert names.apply("Priya, Tom, HHJ Marsh and Sam") == "PS, TO, HHJ EM and SA"


def test_a_practitioner_of_another_team_cannot_export_anonymised(family, signed_in):
    case, _ = family
    other = factories.make_user("practitioner", team=factories.make_team())
    response = download(signed_in(other), case, "xlsx", anonymise="1", **PERIOD)
    assert response.status_code == 404
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all() == []
