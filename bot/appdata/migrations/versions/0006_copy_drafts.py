"""Product copy: drafts an admin asked for and every saved version with its grounding check.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 14:40:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Creates ``copy_drafts`` and ``copy_versions``."""
    op.create_table(
        "copy_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("skus", sa.JSON(), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("audience", sa.String(length=120), nullable=False),
        sa.Column("tone", sa.String(length=20), nullable=False),
        sa.Column("variant", sa.String(length=1), nullable=False),
        sa.Column("created_by", sa.String(length=254), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_copy_drafts")),
    )
    with op.batch_alter_table("copy_drafts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_copy_drafts_created_at"), ["created_at"], unique=False)
    op.create_table(
        "copy_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=254), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("grounded", sa.Boolean(), nullable=False),
        sa.Column("unsupported", sa.Integer(), nullable=False),
        sa.Column("claims", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["draft_id"],
            ["copy_drafts.id"],
            name=op.f("fk_copy_versions_draft_id_copy_drafts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_copy_versions")),
        sa.UniqueConstraint("draft_id", "number", name=op.f("uq_copy_versions_draft_id")),
    )
    with op.batch_alter_table("copy_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_copy_versions_draft_id"), ["draft_id"], unique=False)


def downgrade() -> None:
    """Undoes :func:`upgrade`."""
    with op.batch_alter_table("copy_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_copy_versions_draft_id"))
    op.drop_table("copy_versions")
    with op.batch_alter_table("copy_drafts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_copy_drafts_created_at"))
    op.drop_table("copy_drafts")
