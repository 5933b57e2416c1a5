"""The programme-wide export for commissioners: every case of the team over a year."""

from flask import Blueprint

bp = Blueprint("programme", __name__, url_prefix="/reports/programme")
