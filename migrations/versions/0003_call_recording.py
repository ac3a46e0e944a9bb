"""Whole-call recording: the tenant's and number's switch, and the recording on the call

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 09:10:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# Revision identifiers, used by Alembic.
revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("tenants", sa.Column("record_calls", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column("phone_numbers", sa.Column("record_calls", sa.Boolean(), nullable=True))
    op.add_column("calls", sa.Column("recording_sid", sa.String(length=64), nullable=True))
    op.add_column("calls", sa.Column("recording_url", sa.Text(), nullable=True))
    op.add_column("calls", sa.Column("recording_duration_s", sa.Integer(), nullable=True))


def downgrade() -> None:
    # Batch mode, because SQLite can only drop a column by rebuilding the table.
    with op.batch_alter_table("calls") as batch:
        batch.drop_column("recording_duration_s")
        batch.drop_column("recording_url")
        batch.drop_column("recording_sid")
    with op.batch_alter_table("phone_numbers") as batch:
        batch.drop_column("record_calls")
    with op.batch_alter_table("tenants") as batch:
        batch.drop_column("record_calls")
