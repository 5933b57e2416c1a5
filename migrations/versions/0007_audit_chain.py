"""audit chain: hash-chained audit rows, and a database that refuses to change them

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22 18:40:00.000000

Rows already in the trail are chained in id order with the hash of fdac.audit.chain, written
out here (a migration never imports application code, which may change after it is written).
The triggers must come after the batch operations: SQLite copies the table to alter it, and
the copy has no triggers. A later migration that batch-alters audit_events on SQLite must
create them again (tests/audit/test_append_only.py checks they exist after every migration).
"""

import hashlib
import json
from datetime import UTC

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

GENESIS = "0" * 64
HASHED = ("at", "actor_id", "actor_label", "action", "table_name", "record_id", "case_id")
CHUNK = 5000

SQLITE_TRIGGERS = (
    "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
    "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: UPDATE refused'); END",
    "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events "
    "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: DELETE refused'); END",
)
POSTGRESQL_TRIGGERS = (
    """CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$""",
    "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
    "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()",
    "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events "
    "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()",
)

audit_events = sa.table(
    "audit_events",
    sa.column("id", sa.Integer()),
    sa.column("at", sa.DateTime(timezone=True)),
    sa.column("actor_id", sa.Integer()),
    sa.column("actor_label", sa.String()),
    sa.column("action", sa.String()),
    sa.column("table_name", sa.String()),
    sa.column("record_id", sa.String()),
    sa.column("case_id", sa.Integer()),
    sa.column("changes", sa.JSON()),
    sa.column("prev_hash", sa.String()),
    sa.column("hash", sa.String()),
)


def row_hash(prev_hash: str, row: dict) -> str:
    """fdac.audit.chain.row_hash as of this revision (a test checks they agree)."""
    content = {key: row[key] for key in HASHED}
    at = content["at"]
    at = at.replace(tzinfo=UTC) if at.tzinfo is None else at
    content["at"] = at.astimezone(UTC).isoformat(timespec="microseconds")
    content["changes"] = json.loads(json.dumps(row["changes"]))
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{prev_hash}\n{canonical}".encode()).hexdigest()


def _chain_existing_rows(connection) -> None:
    columns = [audit_events.c[key] for key in ("id", *HASHED, "changes")]
    update = (
        sa.update(audit_events)
        .where(audit_events.c.id == sa.bindparam("row_id"))
        .values(prev_hash=sa.bindparam("new_prev"), hash=sa.bindparam("new_hash"))
    )
    prev_hash, after = GENESIS, 0
    while True:
        rows = connection.execute(
            sa.select(*columns).where(audit_events.c.id > after).order_by("id").limit(CHUNK)
        ).all()
        if not rows:
            return
        sealed = []
        for row in rows:
            new_hash = row_hash(prev_hash, row._asdict())
            sealed.append({"row_id": row.id, "new_prev": prev_hash, "new_hash": new_hash})
            prev_hash = new_hash
        connection.execute(update, sealed)
        after = rows[-1].id


def upgrade():
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("hash", sa.String(length=64), nullable=True))

    _chain_existing_rows(op.get_bind())

    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_audit_events_prev_hash"), ["prev_hash"])

    dialect = op.get_bind().dialect.name
    for statement in POSTGRESQL_TRIGGERS if dialect == "postgresql" else SQLITE_TRIGGERS:
        op.execute(statement)


def downgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    for name in ("audit_events_no_update", "audit_events_no_delete"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}" + (" ON audit_events" if postgresql else ""))
    if postgresql:
        op.execute("DROP FUNCTION IF EXISTS audit_events_append_only()")

    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_audit_events_prev_hash"), type_="unique")
        batch_op.drop_column("hash")
        batch_op.drop_column("prev_hash")
