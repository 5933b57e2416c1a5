"""The judge's progress summary page, and its Excel and PDF exports: one case, one period."""

from datetime import date
from io import BytesIO

from flask import Blueprint, current_app, render_template, request, send_file
from flask_login import current_user

from fdac.audit.exports import record_export
from fdac.auth.access import Action, can
from fdac.auth.guards import case_for
from fdac.dates import london_today
from fdac.extensions import db
from fdac.reports import excel, pdf, records
from fdac.reports import summary as progress

bp = Blueprint("reports", __name__, url_prefix="/cases/<reference>")

FIELDS = {"from": "From", "to": "To"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _period(args, default: tuple[date, date]) -> tuple[tuple[date, date], dict[str, str]]:
    """The period asked for (each field defaulting), and an error message per bad field."""
    chosen, errors = dict(zip(FIELDS, default, strict=True)), {}
    for name, label in FIELDS.items():
        raw = args.get(name, "").strip()
        if not raw:
            continue
        try:
            chosen[name] = date.fromisoformat(raw)
        except ValueError:
            errors[name] = f"{label} must be a real date, like 2027-03-03"
    if not errors and chosen["to"] < chosen["from"]:
        errors["to"] = "To must be the same as or after From"
    return (chosen["from"], chosen["to"]), errors


def _bad_period(case, today: date, errors: dict[str, str]):
    return render_template(
        "reports/summary.html",
        case=case,
        report=None,
        today=today,
        errors=errors,
        values={name: request.args.get(name, "") for name in FIELDS},
    ), 400


@bp.get("/summary")
def summary(reference: str):
    case = case_for(reference, Action.VIEW_SUMMARY)
    today = london_today()
    (first, last), errors = _period(request.args, progress.default_period(case, today))
    if errors:
        return _bad_period(case, today, errors)
    return render_template(
        "reports/summary.html",
        case=case,
        report=progress.progress_summary(case, first, last, today),
        today=today,
        errors={},
        values={"from": first.isoformat(), "to": last.isoformat()},
        can_export=can(current_user, Action.EXPORT_REPORT, case),
    )


def _export(reference: str, extension: str, mimetype: str, write):
    """The summary of the period asked for, written by `write(summary)`, audited, as a download."""
    case = case_for(reference, Action.EXPORT_REPORT)
    today = london_today()
    (first, last), errors = _period(request.args, progress.default_period(case, today))
    if errors:
        return _bad_period(case, today, errors)
    report = progress.progress_summary(case, first, last, today)
    content = write(report)
    record_export(case, extension, first, last, anonymised=False)
    db.session.commit()
    return send_file(
        BytesIO(content),
        mimetype=mimetype,
        as_attachment=True,
        download_name=f"{case.reference}-summary-{first.isoformat()}-to-{last.isoformat()}"
        f".{extension}",
    )


@bp.get("/summary.xlsx")
def summary_xlsx(reference: str):
    def write(report: progress.ProgressSummary) -> bytes:
        case, first, last = report.case, report.first, report.last
        return excel.case_workbook(
            report,
            records.period_contacts(case, first, last),
            records.period_hearings(case, first, last),
            author=current_user.name,
        )

    return _export(reference, "xlsx", XLSX, write)


@bp.get("/summary.pdf")
def summary_pdf(reference: str):
    def write(report: progress.ProgressSummary) -> bytes:
        return pdf.summary_pdf(report, current_user.name, current_app.static_folder)

    return _export(reference, "pdf", "application/pdf", write)
