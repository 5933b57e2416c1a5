"""Error pages in the service's own style."""

from flask import Flask, render_template


def init_app(app: Flask) -> None:
    for status in (400, 403, 404, 413, 500):
        app.register_error_handler(
            status, lambda error, status=status: (render_template(f"errors/{status}.html"), status)
        )
