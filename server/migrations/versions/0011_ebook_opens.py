"""E-books to phones (issue #19): opens of a reading page from a kiosk's QR, counted per day, book and screen.

Revision ID: 0011_ebook_opens
Revises: 0010_catalogue
"""
import sqlalchemy as sa
from alembic import op

revision = "0011_ebook_opens"
down_revision = "0010_catalogue"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A count per day, book and the kiosk screen whose QR it was; nothing about who opened it
    op.create_table("ebook_opens", sa.Column("day", sa.String(10), nullable=False),
                    sa.Column("package", sa.String(200), nullable=False),
                    sa.Column("source", sa.String(40), nullable=False),
                    sa.Column("n", sa.Integer, nullable=False),
                    sa.PrimaryKeyConstraint("day", "package", "source"))


def downgrade() -> None:
    op.drop_table("ebook_opens")
