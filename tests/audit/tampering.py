"""What an attacker with the database's DDL rights could do: lift the append-only triggers,
change the trail, and put them back. Only tests do this."""

from contextlib import contextmanager

from sqlalchemy import text

from fdac.extensions import db


def _lift(conn) -> list:
    """Lift the triggers on `conn`; returns what `_restore` needs to put them back."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("ALTER TABLE audit_events DISABLE TRIGGER USER"))
        return []
    triggers = conn.execute(
        text(
            "SELECT name, sql FROM sqlite_master "
            "WHERE type = 'trigger' AND tbl_name = 'audit_events'"
        )
    ).all()
    for name, _ in triggers:
        conn.execute(text(f'DROP TRIGGER "{name}"'))
    return triggers


def _restore(conn, triggers: list) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("ALTER TABLE audit_events ENABLE TRIGGER USER"))
    for _, sql in triggers:
        conn.execute(text(sql))


@contextmanager
def unguarded():
    """A connection in a transaction on which audit_events can be updated and deleted; the
    triggers are back when it commits."""
    with db.engine.begin() as conn:
        triggers = _lift(conn)
        yield conn
        _restore(conn, triggers)


@contextmanager
def triggers_removed():
    """The triggers gone for everyone (committed) until the block ends."""
    with db.engine.begin() as conn:
        triggers = _lift(conn)
    try:
        yield
    finally:
        with db.engine.begin() as conn:
            _restore(conn, triggers)


def tamper(statement: str, **params) -> None:
    db.session.commit()
    with unguarded() as conn:
        conn.execute(text(statement), params)
