"""Jinja set-up: the GOV.UK macro packages, strict undefined, and the display filters."""

from flask import Flask
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import (
    ChoiceLoader,
    FileSystemLoader,
    PackageLoader,
    PrefixLoader,
    StrictUndefined,
    Undefined,
)

from fdac.config import PROJECT_ROOT
from fdac.dates import uk_date, uk_datetime, uk_time


class StrictButTestableUndefined(StrictUndefined):
    """Fails when a missing name is printed, called or looked into.

    The GOV.UK macros test, compare, count and loop over optional parameters, so those
    are allowed; `{{ case.refernce }}` still fails the test that renders it.
    """

    __bool__ = Undefined.__bool__
    __eq__ = Undefined.__eq__
    __ne__ = Undefined.__ne__
    __hash__ = Undefined.__hash__
    __len__ = Undefined.__len__
    __iter__ = Undefined.__iter__


def init_app(app: Flask) -> None:
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(PROJECT_ROOT / "templates"),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    # A typo in a template fails a test instead of printing nothing.
    app.jinja_env.undefined = StrictButTestableUndefined
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.filters["uk_date"] = uk_date
    app.jinja_env.filters["uk_datetime"] = uk_datetime
    app.jinja_env.filters["uk_time"] = uk_time
    app.jinja_env.globals["navigation_items"] = navigation_items
    app.jinja_env.globals["is_current"] = is_current
    app.jinja_env.globals["figures"] = figures()
    WTFormsHelpers(app)


def figures() -> dict[str, int]:
    """The numbers pages quote in their words ("every 14 days", "the last 12 weeks"), read from
    the one table each lives in, so a changed threshold changes the sentence too."""
    from fdac.contacts import compliance
    from fdac.graduations.outcomes import FINAL_WEEKS
    from fdac.home import WEEK_AHEAD
    from hearings import timings
    from hearings.feeds import FEED_AHEAD, FEED_PAST

    return {
        "nlr_days": timings.NLR_INTERVAL.days,
        "statutory_weeks": timings.STATUTORY_WEEKS,
        "max_extension_weeks": timings.MAX_EXTENSION_WEEKS,
        "contact_weeks_shown": compliance.WEEKS_SHOWN,
        "rolling_weeks": compliance.ROLLING_WEEKS,
        "no_contact_days": compliance.NO_CONTACT_DAYS,
        "outcome_final_weeks": FINAL_WEEKS,
        "feed_past_weeks": FEED_PAST.days // 7,
        "feed_ahead_weeks": FEED_AHEAD.days // 7,
        "week_ahead_days": WEEK_AHEAD.days,
    }


def navigation_items() -> list[dict]:
    """The service navigation a signed-in person sees: only what can() lets them use."""
    from flask import url_for
    from flask_login import current_user

    from fdac.auth.access import Action, can

    items = []
    if can(current_user, Action.VIEW_FLAGS):  # the manager's home: flags and today's hearings
        items.append({"href": url_for("home"), "text": "Home"})
    if can(current_user, Action.VIEW_CASELOAD):
        items.append({"href": url_for("caseload.index"), "text": "Caseload"})
    if can(current_user, Action.LIST_CASES):
        items.append({"href": url_for("cases.index"), "text": "Cases"})
    if can(current_user, Action.VIEW_CALENDAR):
        items.append({"href": url_for("calendar.index"), "text": "Hearings"})
    if can(current_user, Action.MANAGE_GRADUATES):
        items.append({"href": url_for("graduates.index"), "text": "Graduates"})
    if can(current_user, Action.IMPORT_RESULTS):
        items.append({"href": url_for("lab_imports.upload"), "text": "Import lab results"})
    if can(current_user, Action.MANAGE_TEAM_SETTINGS) and can(current_user, Action.MANAGE_COURT):
        # The team's settings and the court's set-up, one item: the bar stays on one line.
        also = [url_for("court.index"), url_for("team.targets"), url_for("team.criteria")]
        items.append({"href": url_for("team.settings"), "text": "Settings", "also": also})
    if can(current_user, Action.MANAGE_USERS):
        items.append({"href": url_for("users.index"), "text": "Users"})
    return items


def is_current(item: dict, path: str) -> bool:
    """Whether a navigation item is the section `path` is in."""
    for href in [item["href"], *item.get("also", [])]:
        if path == href or (href != "/" and path.startswith(href)):
            return True
    return False
