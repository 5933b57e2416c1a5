"""FDAC Manager: programme management for Family Drug and Alcohol Courts.

Importing the package loads nothing heavy, so pure domain modules (fdac.dates,
fdac.validation) stay free of Flask; the wiring lives in fdac/app.py.
"""


def create_app(config: dict | None = None):
    """Build the Flask application (`flask --app fdac`, gunicorn 'fdac:create_app()')."""
    from fdac.app import create_app as build

    return build(config)
