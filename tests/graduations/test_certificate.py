"""The graduation certificate: a PDF with the parent's name, the date, the team, the judge and
the court, for printing; only for the team's own graduates."""

import subprocess
from datetime import date

import pytest
from flask import url_for

from fdac import printing
from fdac.graduations import certificate
from tests import factories
from tests.graduations import closed_family, graduate
from tests.pdf import pdf_text


@pytest.fixture
def judge(team):
    return factories.make_user("judge", team=team, name="HHJ Marsh")


@pytest.fixture
def graduation(team, judge):
    case = closed_family(team, judge)
    return graduate(case, factories.add_parent(case, "Kelly Ashworth"), date(2027, 3, 3))


def test_certificate_is_a_pdf_with_the_parent_date_team_judge_and_court(
    signed_in, graduation, team, tmp_path
):
    response = signed_in("practitioner").raw.get(
        url_for("graduates.certificate", graduation_id=graduation.id)
    )

    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=graduation-certificate-kelly-ashworth.pdf"
    )
    text = pdf_text(response.data, tmp_path)
    assert "Certificate of graduation" in text
    assert "Kelly Ashworth" in text
    assert "Graduated on 3 March 2027" in text
    assert team.name in text
    assert "HHJ Marsh" in text
    assert team.court_name in text


def test_certificate_is_one_a4_landscape_page(graduation, tmp_path):
    path = tmp_path / "certificate.pdf"
    path.write_bytes(certificate.certificate_pdf(graduation))
    info = subprocess.run(  # noqa: S603
        ["pdfinfo", str(path)],  # noqa: S607
        capture_output=True, check=True, text=True,
    ).stdout  # fmt: skip
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
    assert fields["Pages"].strip() == "1"
    width, _, height = fields["Page size"].split()[:3]
    assert (round(float(width)), round(float(height))) == (842, 595)  # A4 landscape, in points


def test_the_certificate_has_a_discreet_footer_naming_court_case_judge_date_and_page(
    graduation, team, tmp_path
):
    content = certificate.certificate_pdf(graduation, printed_on=date(2027, 3, 10))
    text = pdf_text(content, tmp_path)
    case = graduation.case
    assert (
        f"{team.court_name} · Case number {case.court_case_number} · Judge: HHJ Marsh · "
        "Printed on 10 March 2027"
    ) in text
    assert "Page 1 of 1" in text
    # Below the ceremonial design, not in it: the footer comes after the certificate's words.
    assert text.index("Certificate of graduation") < text.index("Page 1 of 1")
    assert text.index("Graduated on") < text.index("Printed on 10 March 2027")


def test_another_teams_certificate_is_not_found(signed_in, judge):
    other_team = factories.make_team()
    case = closed_family(other_team, None)
    theirs = graduate(case, factories.add_parent(case, "Sam Other"))
    signed_in("team_manager").get("graduates.certificate", 404, graduation_id=theirs.id)


def test_the_certificate_fetches_nothing_from_outside(app):
    fetcher = printing.StaticOnly(app.static_folder)
    with pytest.raises(ValueError, match="fetches nothing from outside"):
        fetcher.fetch("https://example.org/logo.png")
    with pytest.raises(ValueError, match="fetches nothing from outside"):
        fetcher.fetch("file:///etc/passwd")
