"""GET /api/v1/cases/{reference}/report.xlsx: the judge's progress summary as the Excel
workbook, exactly as the summary page's download makes it (fdac.reports.exports.export_summary:
the same author, action, period, anonymisation check and audit row, committed after)."""

from flask import Response, current_app
from flask_login import current_user

from fdac.api.cases import case_for_api
from fdac.api.errors import ApiValidationError
from fdac.api.progress import PeriodQuery, period_for
from fdac.api.spec import api
from fdac.auth.access import Action
from fdac.dates import london_today
from fdac.extensions import db
from fdac.reports import exports
from fdac.reports.anonymise import AnonymisationError

XLSX = exports.FORMATS["xlsx"]


@api(
    "GET",
    "/cases/{reference}/report.xlsx",
    summary="A case's progress summary over a period as an Excel workbook",
    query=PeriodQuery,
    errors=(403, 404),
    media_type=XLSX,
    tags=("progress",),
)
def case_report(reference: str, query: PeriodQuery):
    """The summary page's Excel download: audited; with anonymise, refused (422, nothing
    exported or audited) if a name of the case would remain in it."""
    case = case_for_api(reference, Action.EXPORT_REPORT)
    today = london_today()
    first, last = period_for(case, query, today)
    try:
        export = exports.export_summary(
            case,
            first,
            last,
            today,
            "xlsx",
            author=current_user.name,
            anonymise=query.anonymise,
            static_folder=current_app.static_folder,
        )
    except AnonymisationError as error:
        db.session.rollback()
        # For whoever runs the service: which export, never the names themselves.
        current_app.logger.warning(
            "Anonymised xlsx export of %s stopped: %d name(s) left",
            case.reference,
            len(error.names),
        )
        count = len(error.names)
        raise ApiValidationError(
            [
                (
                    "anonymise",
                    f"The anonymised workbook would still name {count} "
                    f"{'person' if count == 1 else 'people'} of the case (in free text the "
                    "team wrote), so nothing was exported. Correct the text, or ask for the "
                    "named workbook.",
                )
            ]
        ) from None
    db.session.commit()
    response = Response(export.content, mimetype=export.mimetype)
    response.headers.set("Content-Disposition", "attachment", filename=export.filename)
    return response
