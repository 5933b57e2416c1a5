"""Secret calendar links: create, revoke, look up, and answer one with the person's hearings.

Calendar clients (Outlook, phones) cannot sign in, so a feed is reached by a secret token in its
address. Only the token's SHA-256 is stored: the link is shown once, when it is made. A person
has at most one active link; a new one revokes the old (docs/decisions/0014-calendar-feeds.md).
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from fdac.auth.access import Action, can
from fdac.auth.models import User
from fdac.dates import london_today
from fdac.extensions import db
from hearings import calendar_queries, ical
from hearings.models import CalendarFeed

# What a feed holds: recent hearings for context, and the next six months (issue 4).
FEED_PAST = timedelta(weeks=8)
FEED_AHEAD = timedelta(weeks=26)
# Calendar clients fetch a feed every few minutes to hours; recording each fetch would fill the
# audit trail, so "last used" is kept to the hour.
USE_RECORDED_EVERY = timedelta(hours=1)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def active_feed(user: User) -> CalendarFeed | None:
    return db.session.scalar(
        select(CalendarFeed)
        .where(CalendarFeed.user_id == user.id, CalendarFeed.revoked_at.is_(None))
        .order_by(CalendarFeed.id.desc())
        .limit(1)
    )


def _revoke_all(user: User, now: datetime) -> int:
    feeds = db.session.scalars(
        select(CalendarFeed).where(
            CalendarFeed.user_id == user.id, CalendarFeed.revoked_at.is_(None)
        )
    ).all()
    for feed in feeds:
        feed.revoked_at = now
    return len(feeds)


def create_feed(user: User, now: datetime) -> str:
    """A new secret link for `user`, revoking any they had; returns the token (shown once)."""
    _revoke_all(user, now)
    token = secrets.token_urlsafe(32)
    db.session.add(CalendarFeed(user_id=user.id, token_hash=token_hash(token), created_at=now))
    db.session.commit()
    return token


def revoke_feed(user: User, now: datetime) -> bool:
    """Stop `user`'s link working at once; False when they had none."""
    revoked = _revoke_all(user, now)
    db.session.commit()
    return bool(revoked)


def feed_for_token(token: str) -> CalendarFeed | None:
    """The active feed `token` opens, if its owner is still active and may see the calendar."""
    feed = db.session.scalar(
        select(CalendarFeed)
        .where(CalendarFeed.token_hash == token_hash(token), CalendarFeed.revoked_at.is_(None))
        .options(joinedload(CalendarFeed.user))
    )
    if feed is None or not can(feed.user, Action.VIEW_CALENDAR):
        return None  # can() refuses deactivated people too
    return feed


def calendar_for_token(token: str, now: datetime) -> bytes | None:
    """The .ics answer for `token`, or None when no active feed has it."""
    feed = feed_for_token(token)
    if feed is None:
        return None
    today = london_today(now)
    # The same scope as the pages: visible_cases(feed.user). Cancelled hearings are left out:
    # a subscribed calendar is fetched whole, so a hearing that is gone disappears.
    hearings = calendar_queries.hearings_between(feed.user, today - FEED_PAST, today + FEED_AHEAD)
    body = ical.build_calendar(
        [ical.feed_event(h) for h in hearings], name="FDAC hearings", now=now
    )
    if feed.last_used_at is None or now - feed.last_used_at >= USE_RECORDED_EVERY:
        feed.last_used_at = now
        db.session.commit()
    return body
