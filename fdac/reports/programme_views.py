"""The programme-wide export for commissioners: every case of the team over a year."""

import tempfile

from flask import Blueprint, render_template, request, send_file
from flask_login import current_user

from fdac.audit.exports import record_programme_export
from fdac.auth.access import Action
from fdac.auth.guards import requires
from fdac.dates import london_today, utc_now
from fdac.extensions import db
from fdac.reports import programme, programme_rows

bp = Blueprint("programme", __name__, url_prefix="/reports/programme")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _page(years: list[int], chosen: str, error: str | None = None):
    return render_template(
        "programme/index.html", team=current_user.team, years=years, chosen=chosen, error=error
    ), (400 if error else 200)


@bp.get("")
@requires(Action.EXPORT_PROGRAMME)
def index():
    today = london_today()
    return _page(programme_rows.years_with_cases(current_user.team_id, today), str(today.year))


@bp.get("/download")
@requires(Action.EXPORT_PROGRAMME)
def download():
    team, today = current_user.team, london_today()
    years = programme_rows.years_with_cases(team.id, today)
    raw = request.args.get("year", "").strip()
    if not raw:
        return _page(years, raw, "Select a year")
    if not raw.isdigit() or int(raw) not in years:
        return _page(years, raw, f"Year must be one of {years[-1]} to {years[0]}")
    year = int(raw)
    # On disk, so memory stays flat; send_file closes it (and so deletes it) after sending.
    out = tempfile.TemporaryFile(prefix="fdac-programme-")  # noqa: SIM115
    programme.write_programme(
        out, team=team, year=year, today=today, author=current_user.name, generated_at=utc_now()
    )
    out.seek(0)
    record_programme_export(team, year)
    db.session.commit()
    return send_file(
        out,
        mimetype=XLSX,
        as_attachment=True,
        download_name=f"fdac-programme-{team.court_code.lower()}-{year}.xlsx",
    )
