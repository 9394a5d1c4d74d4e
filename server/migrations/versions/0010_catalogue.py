"""The library catalogue bridge (issue #19): records with holdings, link rules and settings, QR scan counts.

Revision ID: 0010_catalogue
Revises: 0009_login_throttle
"""
import sqlalchemy as sa
from alembic import op

revision = "0010_catalogue"
down_revision = "0009_login_throttle"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("catalogue_records", sa.Column("id", sa.String(200), primary_key=True),
                    sa.Column("isbn", sa.String(13), nullable=False),
                    sa.Column("data", sa.Text, nullable=False),  # model.Record as JSON
                    sa.Column("datestamp", sa.String(40), nullable=False))
    op.create_index("ix_catalogue_records_isbn", "catalogue_records", ["isbn"])
    op.create_table("catalogue_holdings", sa.Column("record_id", sa.String(200), nullable=False),
                    sa.Column("barcode", sa.String(200), nullable=False),
                    sa.Column("call_number", sa.String(200), nullable=False),
                    sa.Column("status", sa.String(40), nullable=False),
                    sa.PrimaryKeyConstraint("record_id", "barcode"))
    op.create_index("ix_catalogue_holdings_barcode", "catalogue_holdings", ["barcode"])
    op.create_table("catalogue_settings", sa.Column("key", sa.String(80), primary_key=True),
                    sa.Column("value", sa.Text, nullable=False))
    # QR scans of a card: a count per day, book and the experience whose card it was; nothing about who scanned
    op.create_table("catalogue_scans", sa.Column("day", sa.String(10), nullable=False),
                    sa.Column("record_id", sa.String(200), nullable=False),
                    sa.Column("package", sa.String(200), nullable=False),
                    sa.Column("n", sa.Integer, nullable=False),
                    sa.PrimaryKeyConstraint("day", "record_id", "package"))
    # the ILS's loans export: item barcode and day, no patron data
    op.create_table("catalogue_loans", sa.Column("barcode", sa.String(200), nullable=False),
                    sa.Column("day", sa.String(10), nullable=False),
                    sa.PrimaryKeyConstraint("barcode", "day"))


def downgrade() -> None:
    for table in ("catalogue_loans", "catalogue_scans", "catalogue_settings", "catalogue_holdings", "catalogue_records"):
        op.drop_table(table)
