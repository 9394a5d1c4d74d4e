"""Portal sessions revocable on the server: a per-account epoch every session must match.

Revision ID: 0008_session_epoch
Revises: 0007_share_signing
"""
import sqlalchemy as sa
from alembic import op

revision = "0008_session_epoch"
down_revision = "0007_share_signing"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("portal_users") as batch:
        batch.add_column(sa.Column("session_epoch", sa.Integer, nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("portal_users") as batch:
        batch.drop_column("session_epoch")
