"""Wrong delete codes per share link are counted in the database (all server processes see the same count).

Revision ID: 0005_share_wrong_codes
Revises: 0004_credential_version
"""
import sqlalchemy as sa
from alembic import op

revision = "0005_share_wrong_codes"
down_revision = "0004_credential_version"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("shares") as batch:
        batch.add_column(sa.Column("wrong_codes", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("wrong_since", sa.DateTime, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("shares") as batch:
        batch.drop_column("wrong_since")
        batch.drop_column("wrong_codes")
