"""Signed share tokens: when each kiosk first sent a share whose token the server could verify.

Revision ID: 0007_share_signing
Revises: 0006_wall_poems
"""
import sqlalchemy as sa
from alembic import op

revision = "0007_share_signing"
down_revision = "0006_wall_poems"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("portal_kiosks") as batch:
        batch.add_column(sa.Column("signed_shares_since", sa.DateTime, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("portal_kiosks") as batch:
        batch.drop_column("signed_shares_since")
