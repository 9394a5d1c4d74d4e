"""The curator portal: accounts, audit log, package versions, publications, kiosks, share pages.

Revision ID: 0002_portal
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002_portal"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "portal_users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(80), nullable=False, unique=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("failed_logins", sa.Integer, nullable=False),
        sa.Column("locked_until", sa.DateTime, nullable=True),
        sa.Column("disabled", sa.Boolean, nullable=False),
        sa.Column("must_change_password", sa.Boolean, nullable=False),
        sa.Column("created", sa.DateTime, nullable=False),
    )
    op.create_index("ix_portal_users_token_hash", "portal_users", ["token_hash"], unique=True)
    op.create_table(
        "portal_audit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("actor", sa.String(80), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("target", sa.Text, nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
    )
    op.create_index("ix_portal_audit_at", "portal_audit", ["at"])
    op.create_table(
        "package_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("package_id", sa.String(200), nullable=False),
        sa.Column("version", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("uploaded_by", sa.String(80), nullable=False),
        sa.Column("uploaded_at", sa.DateTime, nullable=False),
        sa.Column("warnings", sa.Text, nullable=False),
        sa.Column("preview_state", sa.String(16), nullable=False),
    )
    op.create_index("ix_package_versions_package_id", "package_versions", ["package_id"])
    op.create_table(
        "publications",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("version_id", sa.Integer, sa.ForeignKey("package_versions.id"), nullable=False),
        sa.Column("package_id", sa.String(200), nullable=False),
        sa.Column("target_type", sa.String(8), nullable=False),
        sa.Column("target", sa.String(200), nullable=False),
        sa.Column("starts", sa.DateTime, nullable=True),
        sa.Column("ends", sa.DateTime, nullable=True),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_by", sa.String(80), nullable=False),
        sa.Column("created", sa.DateTime, nullable=False),
    )
    op.create_index("ix_publications_version_id", "publications", ["version_id"])
    op.create_index("ix_publications_package_id", "publications", ["package_id"])
    op.create_table(
        "portal_kiosks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("credential_key", sa.String(64), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("branch", sa.String(100), nullable=False),
        sa.Column("last_seen", sa.DateTime, nullable=True),
        sa.Column("report", sa.Text, nullable=False),
    )
    op.create_table(
        "shares",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("token", sa.String(64), nullable=False),
        sa.Column("delete_hash", sa.String(64), nullable=False),
        sa.Column("poem_id", sa.String(200), nullable=False),
        sa.Column("poem_title", sa.Text, nullable=False),
        sa.Column("poem_text", sa.Text, nullable=False),
        sa.Column("scores", sa.Text, nullable=False),
        sa.Column("nickname", sa.String(40), nullable=False),
        sa.Column("audio_file", sa.String(120), nullable=False),
        sa.Column("audio_type", sa.String(40), nullable=False),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("expires", sa.DateTime, nullable=False),
    )
    op.create_index("ix_shares_token", "shares", ["token"], unique=True)
    op.create_index("ix_shares_expires", "shares", ["expires"])


def downgrade() -> None:
    for table in ("shares", "portal_kiosks", "publications", "package_versions", "portal_audit", "portal_users"):
        op.drop_table(table)
