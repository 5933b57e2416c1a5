"""Uploading a lab's results file: the whole file is imported, or nothing and every problem."""

import re

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf.file import FileAllowed, FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovSubmitInput
from wtforms import SubmitField

from fdac.auth.access import Action
from fdac.auth.guards import requires
from fdac.config import PROJECT_ROOT
from fdac.dates import london_today
from fdac.forms import BaseForm
from testing_results import importer, lab_file

bp = Blueprint("lab_imports", __name__, url_prefix="/results/import")

GUIDE = PROJECT_ROOT / "docs" / "lab-import.md"
SUMMARY_LIMIT = 50  # problems listed in the error summary; the table below lists them all


class LabFileForm(BaseForm):
    file = FileField(
        "Upload a file",
        validators=[
            FileRequired("Select a lab results file"),
            FileAllowed(
                ["csv", "xlsx"], "The selected file must be a CSV or an Excel file (.xlsx)"
            ),
        ],
        description="A CSV or Excel file (.xlsx) from the lab, one row per substance result",
        widget=GovFileInput(),
    )
    submit = SubmitField("Import results", widget=GovSubmitInput())


def _display_name(filename: str) -> str:
    """The file's own name, without any folder a browser sent with it."""
    return re.split(r"[\\/]", filename or "")[-1].strip() or "file"


@bp.route("", methods=["GET", "POST"])
@requires(Action.IMPORT_RESULTS)
def upload():
    form = LabFileForm()
    problems = duplicate = None
    if form.validate_on_submit():
        name = _display_name(form.file.data.filename)
        try:
            outcome = importer.import_file(
                form.file.data.read(), name, user=current_user, today=london_today()
            )
        except importer.ImportRejected as rejected:
            problems = rejected.errors
        else:
            if not outcome.duplicate:
                flash(
                    f"Imported {outcome.added} result{'s' if outcome.added != 1 else ''} "
                    f"from {name} ({outcome.already_present} already present)"
                )
                return redirect(url_for("lab_imports.upload"))
            duplicate = (name, outcome)
    return render_template(
        "testing_results/import.html",
        form=form,
        problems=problems,
        summary=problems[:SUMMARY_LIMIT] if problems else [],
        duplicate=duplicate,
        imports=importer.recent_imports(current_user.team_id),
        columns=lab_file.COLUMNS,
        required=lab_file.REQUIRED_COLUMNS,
        units=lab_file.UNITS,
    )


@bp.get("/guide")
@requires(Action.IMPORT_RESULTS)
def guide():
    """The full guide to the file's layout (docs/lab-import.md), as plain text."""
    return Response(GUIDE.read_text(encoding="utf-8"), mimetype="text/plain")


@bp.get("/example.csv")
@requires(Action.IMPORT_RESULTS)
def example():
    """The guide's example file, to start a lab's export from."""
    match = re.search(r"```csv\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.DOTALL)
    return Response(
        match.group(1) if match else "",
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=lab-results-example.csv"},
    )
