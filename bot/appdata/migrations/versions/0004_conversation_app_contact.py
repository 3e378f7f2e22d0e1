"""The messaging app of a conversation, the shopper's display name in it, and when the shopper
last wrote (the console shows them; WhatsApp's 24-hour window is counted from the last).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 09:45:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Adds ``conversations.app``, ``display_name`` and ``last_contact_at`` (empty for the
    conversations already there)."""
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("app", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("display_name", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("last_contact_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    """Undoes :func:`upgrade`."""
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.drop_column("last_contact_at")
        batch_op.drop_column("display_name")
        batch_op.drop_column("app")
