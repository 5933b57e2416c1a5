"""retention

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-22 19:20:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    # The day the retention job anonymised the case (fdac.retention_jobs); empty until then.
    # Adding a nullable column is an ALTER TABLE on SQLite too: the table is not copied.
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("anonymised_on", sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("anonymised_on")
