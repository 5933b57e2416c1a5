"""Column types shared by every model."""

from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator

# The largest id an integer primary key holds (PostgreSQL's `integer`): an id past it names
# nothing, and must not reach the database (an overflow there is an error, not "not found").
MAX_ID = 2**31 - 1


class UTCDateTime(TypeDecorator):
    """A timezone-aware instant stored as UTC.

    SQLite keeps no zone, so values come back naive; this puts UTC back on them, so
    comparisons and Europe/London display behave the same on SQLite and PostgreSQL.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("UTCDateTime needs a timezone-aware datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def render_migration_type(type_, obj, autogen_context):
    """Write our column types into migrations as their plain SQLAlchemy types.

    Migrations then never import application code, which may change after they are written.
    """
    if type_ == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl!r}"
    return False
