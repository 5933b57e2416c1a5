"""The hearings calendar (week, month, list), a judge's list for a day, and iCalendar feeds."""

from datetime import date, timedelta

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from fdac.auth.access import Action
from fdac.auth.guards import requires
from fdac.auth.roles import Role
from fdac.dates import london_today, uk_date, utc_now
from fdac.forms import ConfirmForm
from fdac.query_args import id_arg
from hearings import calendar_queries
from hearings import feeds as feed_links

bp = Blueprint("calendar", __name__, url_prefix="/calendar")


def _date_arg(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


def _court_day(day: date, step: int) -> date:
    """The next weekday before (-1) or after (1) `day`: courts do not sit at weekends."""
    day += timedelta(days=step)
    while day.weekday() >= 5:
        day += timedelta(days=step)
    return day


@bp.get("")
@requires(Action.VIEW_CALENDAR)
def index():
    view = request.args.get("view", "week")
    if view not in calendar_queries.VIEWS:
        view = "week"
    today = london_today()
    shown = calendar_queries.period(view, _date_arg("start") or today)
    return render_template(
        f"hearings/calendar/{view}.html",
        calendar=calendar_queries.calendar_for(current_user, shown),
        period=shown,
        today=today,
        views=calendar_queries.VIEWS,
    )


@bp.get("/day")
@requires(Action.VIEW_CALENDAR)
def day():
    today = london_today()
    shown = _date_arg("date") or today
    judges, judge = [], None
    if current_user.role is Role.JUDGE:
        judge = current_user  # a judge's list is always their own
    else:
        judges = calendar_queries.team_judges(current_user)
        judge = next((j for j in judges if j.id == id_arg(request.args, "judge")), None)
    judge_id = judge.id if judge else None
    listed = calendar_queries.day_list(current_user, shown, judge_id)
    # An empty day (a weekend, a day without a sitting) points to the next day with a list.
    after = None if listed else calendar_queries.next_listed_day(current_user, shown, judge_id)
    return render_template(
        "hearings/calendar/day.html",
        day=shown,
        today=today,
        previous=_court_day(shown, -1),
        next=_court_day(shown, 1),
        judge=judge,
        judges=judges,
        own_list=current_user.role is Role.JUDGE,
        listed=listed,
        next_listed=after,
        closed=calendar_queries.closed_because(
            shown, calendar_queries.closures_for(current_user, shown, shown)
        ),
    )


@bp.get("/feeds")
@requires(Action.VIEW_CALENDAR)
def feeds():
    feed = feed_links.active_feed(current_user)
    return render_template("hearings/calendar/feeds.html", feed=feed)


@bp.route("/feeds/new", methods=["GET", "POST"])
@requires(Action.VIEW_CALENDAR)
def create_feed():
    form = ConfirmForm()
    if form.validate_on_submit():
        token = feed_links.create_feed(current_user, utc_now())
        # Shown on this response only: the database keeps the token's hash, never the token.
        return render_template(
            "hearings/calendar/feed_created.html",
            link=url_for("calendar.feed", token=token, _external=True),
        )
    return render_template(
        "hearings/calendar/feed_new.html", form=form, feed=feed_links.active_feed(current_user)
    )


@bp.route("/feeds/revoke", methods=["GET", "POST"])
@requires(Action.VIEW_CALENDAR)
def revoke_feed():
    feed = feed_links.active_feed(current_user)
    if feed is None:
        flash("You have no calendar link to revoke")
        return redirect(url_for("calendar.feeds"))
    form = ConfirmForm()
    if form.validate_on_submit():
        feed_links.revoke_feed(current_user, utc_now())
        flash(f"Calendar link created on {uk_date(feed.created_at)} revoked. It no longer works.")
        return redirect(url_for("calendar.feeds"))
    return render_template("hearings/calendar/feed_revoke.html", form=form, feed=feed)


# Public (fdac/security.py): calendar clients cannot sign in, the secret token is the key.
@bp.get("/feeds/<token>.ics")
def feed(token: str):
    body = feed_links.calendar_for_token(token, utc_now())
    if body is None:
        abort(404)
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": 'inline; filename="fdac-hearings.ics"'},
    )
