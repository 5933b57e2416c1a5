"""The judge's progress summary page: one case, one period, one printable screen."""

from datetime import date

from flask import Blueprint, render_template, request

from fdac.auth.access import Action
from fdac.auth.guards import case_for
from fdac.dates import london_today
from fdac.reports import summary as progress

bp = Blueprint("reports", __name__, url_prefix="/cases/<reference>/summary")

FIELDS = {"from": "From", "to": "To"}


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


@bp.get("")
def summary(reference: str):
    case = case_for(reference, Action.VIEW_SUMMARY)
    today = london_today()
    (first, last), errors = _period(request.args, progress.default_period(case, today))
    if errors:
        return render_template(
            "reports/summary.html",
            case=case,
            report=None,
            today=today,
            errors=errors,
            values={name: request.args.get(name, "") for name in FIELDS},
        ), 400
    return render_template(
        "reports/summary.html",
        case=case,
        report=progress.progress_summary(case, first, last, today),
        today=today,
        errors={},
        values={"from": first.isoformat(), "to": last.isoformat()},
    )
