"""last record versions

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-22 20:06:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

# The last editable records (docs/decisions/0034-no-lost-updates.md): a case's own contact
# target (a row version, as the others), and a user's profile as an admin edits it. Sign-in
# writes the users row on its own (last sign-in, failures, the two-factor step), so the profile
# has a version of its own that only a change of the profile moves.


def upgrade():
    with op.batch_alter_table("case_contact_targets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("profile_version", sa.Integer(), server_default="1", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("profile_version")
    with op.batch_alter_table("case_contact_targets", schema=None) as batch_op:
        batch_op.drop_column("version")
