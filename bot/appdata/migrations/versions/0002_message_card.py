"""The card a transcript line carried (an order status, products…), so the console shows it under
the line after a reload too, not only when the line arrives live.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03 07:03:45.970918
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Adds ``conversation_messages.card`` (JSON, empty for lines without a card)."""
    with op.batch_alter_table("conversation_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("card", sa.JSON(), nullable=True))


def downgrade() -> None:
    """Undoes :func:`upgrade`."""
    with op.batch_alter_table("conversation_messages", schema=None) as batch_op:
        batch_op.drop_column("card")
