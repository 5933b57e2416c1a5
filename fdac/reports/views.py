"""The judge's progress summary page, and its Excel and PDF exports: one case, one period,
named or anonymised (fdac.reports.exports, which the command line uses too)."""

from datetime import date
from io import BytesIO

from flask import Blueprint, current_app, render_template, request, send_file
from flask_login import current_user
from jinja2 import pass_context

from fdac.auth.access import Action, can
from fdac.auth.guards import case_for
from fdac.dates import london_today
from fdac.extensions import db
from fdac.reports import exports
from fdac.reports import summary as progress
from fdac.reports.anonymise import AnonymisationError

bp = Blueprint("reports", __name__, url_prefix="/cases/<reference>")

FIELDS = {"from": "From", "to": "To"}
PARTS = ("day", "month", "year")


def _asked(args, name: str, label: str) -> tuple[date | None, str | None]:
    """The date asked for in field `name`: from the form's day, month and year boxes, or from
    a link's ISO date (?from=2027-03-02); None when not asked. Second: the error, if any."""
    parts = [args.get(f"{name}-{part}", "").strip() for part in PARTS]
    if any(parts):
        day, month, year = parts
        if not all(part.isdigit() for part in parts) or len(year) != 4:
            return None, f"{label} must be a real date, with a day, month and 4-digit year"
        try:
            return date(int(year), int(month), int(day)), None
        except ValueError:
            return None, f"{label} must be a real date, with a day, month and 4-digit year"
    raw = args.get(name, "").strip()
    if not raw:
        return None, None
    try:
        return date.fromisoformat(raw), None
    except ValueError:
        return None, f"{label} must be a real date, like 2027-03-03"


def _period(args, default: tuple[date, date]) -> tuple[tuple[date, date], dict[str, str]]:
    """The period asked for (each field defaulting), and an error message per bad field."""
    chosen, errors = dict(zip(FIELDS, default, strict=True)), {}
    for name, label in FIELDS.items():
        asked, error = _asked(args, name, label)
        if error:
            errors[name] = error
        elif asked:
            chosen[name] = asked
    if not errors and chosen["to"] < chosen["from"]:
        errors["to"] = "To must be the same as or after From"
    return (chosen["from"], chosen["to"]), errors


def _boxes(args, period: tuple[date, date] | None = None) -> dict[str, dict[str, str]]:
    """What the day, month and year boxes show: the period chosen, or what was typed."""
    if period is not None:
        return {
            name: {"day": str(d.day), "month": str(d.month), "year": str(d.year)}
            for name, d in zip(FIELDS, period, strict=True)
        }
    shown = {}
    for name in FIELDS:
        typed = {part: args.get(f"{name}-{part}", "").strip() for part in PARTS}
        if not any(typed.values()):
            asked, _ = _asked(args, name, "")
            raw = args.get(name, "").strip()
            typed = (
                {"day": str(asked.day), "month": str(asked.month), "year": str(asked.year)}
                if asked
                else {"day": "", "month": "", "year": raw}  # a bad ISO date, shown as typed
            )
        shown[name] = typed
    return shown


def _bad_period(case, today: date, errors: dict[str, str]):
    return render_template(
        "reports/summary.html",
        case=case,
        report=None,
        today=today,
        errors=errors,
        values={name: request.args.get(name, "") for name in FIELDS},
        boxes=_boxes(request.args),
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
        boxes=_boxes(request.args, (first, last)),
        can_export=can(current_user, Action.EXPORT_REPORT, case),
    )


def _export(reference: str, format: str):
    """The summary of the period asked for as `format`, named or anonymised (?anonymise=1),
    audited, as a download; an anonymised export that would still name someone is refused."""
    case = case_for(reference, Action.EXPORT_REPORT)
    today = london_today()
    (first, last), errors = _period(request.args, progress.default_period(case, today))
    if errors:
        return _bad_period(case, today, errors)
    try:
        export = exports.export_summary(
            case,
            first,
            last,
            today,
            format,
            author=current_user.name,
            anonymise=exports.wants_anonymised(request.args),
            static_folder=current_app.static_folder,
        )
    except AnonymisationError as error:
        db.session.rollback()
        # For whoever runs the service: which export, never the names themselves.
        current_app.logger.warning(
            "Anonymised %s export of %s stopped: %d name(s) left",
            format,
            case.reference,
            len(error.names),
        )
        return render_template(
            "reports/export_refused.html",
            case=case,
            names=error.names,
            values={"from": first.isoformat(), "to": last.isoformat()},
        ), 422
    db.session.commit()
    return send_file(
        BytesIO(export.content),
        mimetype=export.mimetype,
        as_attachment=True,
        download_name=export.filename,
    )


@bp.get("/summary.xlsx")
def summary_xlsx(reference: str):
    return _export(reference, "xlsx")


@bp.get("/summary.pdf")
def summary_pdf(reference: str):
    return _export(reference, "pdf")


# Names in the report templates: unchanged on the page, their stand-ins in an anonymised
# export (the template is rendered with `pseudonyms`, see fdac.reports.pdf.summary_html).


def _pseudonyms(context):
    return context.get("pseudonyms")


@bp.app_template_filter("private")
@pass_context
def private(context, text):
    """Free text, or a name: with pseudonyms in the template's context, its names replaced."""
    names = _pseudonyms(context)
    return names.apply(str(text)) if names is not None and text else text


@bp.app_template_filter("person_name")
@pass_context
def person_name(context, person) -> str:
    """A person's name (a user, a parent, a child), or their stand-in when anonymising."""
    names = _pseudonyms(context)
    if person is None:
        return ""
    return names.name_for(person) if names is not None else person.name
