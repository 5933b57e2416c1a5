"""The lists behind the manager's dashboard figures."""

from flask import Blueprint

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")
