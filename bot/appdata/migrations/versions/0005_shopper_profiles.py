"""Shopper profiles: a verified shopper's stated budget, sizes, colours and features, by e-mail.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 10:05:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Creates ``shopper_profiles``."""
    op.create_table(
        "shopper_profiles",
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("max_price", sa.String(length=16), nullable=True),
        sa.Column("sizes", sa.JSON(), nullable=False),
        sa.Column("colours", sa.JSON(), nullable=False),
        sa.Column("features", sa.JSON(), nullable=False),
        sa.Column("excluded", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_used_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("email", name=op.f("pk_shopper_profiles")),
    )
    with op.batch_alter_table("shopper_profiles", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_shopper_profiles_last_used_at"), ["last_used_at"], unique=False
        )


def downgrade() -> None:
    """Undoes :func:`upgrade`."""
    with op.batch_alter_table("shopper_profiles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shopper_profiles_last_used_at"))
    op.drop_table("shopper_profiles")
