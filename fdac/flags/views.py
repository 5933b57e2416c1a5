"""Flags a manager has seen and marks as dealt with."""

from flask import Blueprint

bp = Blueprint("flags", __name__, url_prefix="/flags")
