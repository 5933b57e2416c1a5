"""The one place that wires the application together: extensions, blueprints, commands."""

from flask import Flask, has_request_context
from flask_login import current_user

from fdac import config as config_module
from fdac import database
from fdac.db_types import render_migration_type
from fdac.extensions import csrf, db, login_manager, migrate


def _current_actor() -> tuple[int | None, str]:
    """Who is making a change, for the audit trail."""
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.id, f"{current_user.name} <{current_user.email}>"
    return None, "system (command line or scheduled job)"


def create_app(config: dict | None = None) -> Flask:
    """The one place that wires the application together."""
    app = Flask(
        __name__,
        instance_path=str(config_module.INSTANCE_PATH),
        static_folder="static",
        # govuk-frontend's CSS looks for /assets/fonts and /assets/images.
        static_url_path="/assets",
    )
    app.config.from_mapping(config_module.from_environment(config_module.INSTANCE_PATH))
    if config:
        app.config.from_mapping(config)
    database.configure(app)

    import fdac.models  # noqa: F401  (the whole schema, for migrations and the audit hook)

    db.init_app(app)
    database.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(config_module.PROJECT_ROOT / "migrations"),
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
        render_item=render_migration_type,
    )
    csrf.init_app(app)
    _init_login(app)
    _init_database_events(app)

    from fdac import errors, security, templating
    from fdac.api import setup as api_setup

    templating.init_app(app)
    errors.init_app(app)
    # After the pages' error handlers (it answers JSON under /api/ and leaves theirs to them)
    # and before security's hooks (a token request authenticates before the sign-in check).
    api_setup.init_app(app)
    security.init_app(app)
    _register_blueprints(app)

    from fdac.cli import fdac_cli

    app.cli.add_command(fdac_cli)
    return app


def _init_login(app: Flask) -> None:
    from fdac.auth.models import User

    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to see this page"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id: str):
        user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
        return user if user is not None and user.active else None


def _init_database_events(app: Flask) -> None:
    from fdac.audit import recorder

    recorder.set_actor_source(_current_actor)
    recorder.install(db.Model.registry)


def _register_blueprints(app: Flask) -> None:
    from fdac import health, home
    from fdac.api.setup import blueprint as api_blueprint
    from fdac.auth.views import bp as auth_bp
    from fdac.cases.views import bp as cases_bp
    from fdac.contacts.caseload_views import bp as caseload_bp
    from fdac.contacts.views import bp as contacts_bp
    from fdac.court_documents.views import bp as court_documents_bp
    from fdac.dashboard.views import bp as dashboard_bp
    from fdac.flags.views import bp as flags_bp
    from fdac.graduations.group_views import bp as graduates_bp
    from fdac.graduations.views import bp as graduations_bp
    from fdac.reports.programme_views import bp as programme_bp
    from fdac.reports.views import bp as reports_bp
    from fdac.subject_access_views import bp as subject_access_bp
    from fdac.teams.views import bp as team_bp
    from fdac.users.token_views import bp as tokens_bp
    from fdac.users.views import bp as users_bp
    from hearings.calendar_views import bp as calendar_bp
    from hearings.court_views import bp as court_bp
    from hearings.views import bp as hearings_bp
    from testing_results.import_views import bp as lab_imports_bp
    from testing_results.views import bp as results_bp

    blueprints = (
        auth_bp,
        cases_bp,
        users_bp,
        health.bp,
        results_bp,
        lab_imports_bp,
        hearings_bp,
        calendar_bp,
        court_bp,
        flags_bp,
        contacts_bp,
        caseload_bp,
        team_bp,
        graduations_bp,
        graduates_bp,
        reports_bp,
        programme_bp,
        court_documents_bp,
        subject_access_bp,
        dashboard_bp,
        tokens_bp,
        api_blueprint(),
    )
    for bp in blueprints:
        app.register_blueprint(bp)
    app.add_url_rule("/", endpoint="home", view_func=home.home)
