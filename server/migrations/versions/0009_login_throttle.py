"""Sign-in throttling per name and client address (server/portal/throttle.py) instead of account locks.

Revision ID: 0009_login_throttle
Revises: 0008_session_epoch
"""
import sqlalchemy as sa
from alembic import op

revision = "0009_login_throttle"
down_revision = "0008_session_epoch"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("portal_login_throttle", sa.Column("key", sa.String(200), primary_key=True),
                    sa.Column("account", sa.String(80), nullable=False),
                    sa.Column("failures", sa.Integer, nullable=False),
                    sa.Column("last_failure", sa.DateTime, nullable=False),
                    sa.Column("wait_until", sa.DateTime, nullable=True))
    op.create_index("ix_portal_login_throttle_account", "portal_login_throttle", ["account"])
    # The old hard locks end: throttling replaces them.
    op.execute("UPDATE portal_users SET failed_logins = 0, locked_until = NULL")


def downgrade() -> None:
    op.drop_table("portal_login_throttle")
