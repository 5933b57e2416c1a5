"""Court documents of a case: the review report and the note of the hearing."""

from flask import Blueprint

bp = Blueprint("court_documents", __name__, url_prefix="/cases/<reference>/documents")
