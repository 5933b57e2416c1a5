"""Making, finding and revoking API tokens. Nothing else touches ApiToken rows."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from fdac.api.models import ApiToken
from fdac.auth.models import User
from fdac.dates import utc_now
from fdac.extensions import db
from fdac.query_args import whole_id
from fdac.validation import FieldError

# "fdac_" marks the string as ours (secret scanners can look for it); 32 random bytes follow.
TOKEN_MARK = "fdac_"  # noqa: S105 (a marker, not a secret)
PREFIX_LENGTH = len(TOKEN_MARK) + 8
MAX_DAYS = 3650


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # the token itself: shown once, never stored


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(
    user: User, name: str, days: int | None = None, by: User | None = None
) -> NewToken:
    """A new token for `user`, valid for `days` (None: until revoked); the caller commits."""
    name = " ".join((name or "").split())
    if not name:
        raise FieldError("Enter a name for the token, like the system that will use it", "name")
    if len(name) > 80:
        raise FieldError("The name must be 80 characters or fewer", "name")
    if days is not None and not 1 <= days <= MAX_DAYS:
        raise FieldError(f"A token lasts from 1 to {MAX_DAYS} days", "days")
    if not user.active:
        raise FieldError("This account is deactivated: it cannot have a new token")
    secret = TOKEN_MARK + secrets.token_urlsafe(32)
    now = utc_now()
    token = ApiToken(
        user=user,
        name=name,
        prefix=secret[:PREFIX_LENGTH],
        token_hash=digest(secret),
        created_at=now,
        created_by_id=by.id if by is not None else None,
        expires_at=now + timedelta(days=days) if days else None,
    )
    db.session.add(token)
    return NewToken(token, secret)


def find_active(secret: str, now: datetime) -> ApiToken | None:
    """The active token whose secret this is (not revoked, not expired, its user active)."""
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(secret)))
    if token is None or token.status(now) != "active" or not token.user.active:
        return None
    return token


def mark_used(token_id: int, now: datetime) -> None:
    # A plain UPDATE: the request's own audit row records the use, not a second update row.
    db.session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now))


def revoke(token: ApiToken, by: User | None) -> None:
    """Revoke `token` (once; revoking again changes nothing); the caller commits."""
    if token.revoked_at is None:
        token.revoked_at = utc_now()
        token.revoked_by_id = by.id if by is not None else None


def tokens_of(user: User | None = None) -> list[ApiToken]:
    """Every token (of `user`, when given), newest first."""
    query = select(ApiToken).order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    if user is not None:
        query = query.where(ApiToken.user_id == user.id)
    return list(db.session.scalars(query))


def find_by_prefix_or_id(text: str) -> list[ApiToken]:
    """The tokens a person means by an id or the start of a token (its prefix)."""
    text = text.strip()
    if text.isascii() and text.isdigit():
        found = db.session.get(ApiToken, number) if (number := whole_id(text)) else None
        return [found] if found else []
    if len(text) < 6:
        return []
    return list(db.session.scalars(select(ApiToken).where(ApiToken.prefix.startswith(text[:16]))))
