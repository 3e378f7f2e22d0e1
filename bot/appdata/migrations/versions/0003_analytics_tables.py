"""The analytics tables: a cursor per event source, one tally per conversation, the intents and
products each conversation had (filled from Rasa's events by bot.insights), their sums per day
and channel, and the clusters of knowledge gaps with their drafted FAQ entries.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 07:28:45.013837
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Creates the ``insight_*`` tables."""
    op.create_table(
        "insight_conversations",
        sa.Column("session_id", sa.String(length=128), nullable=False),
        sa.Column("channel", sa.String(length=64), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("last_event_at", sa.DateTime(), nullable=False),
        sa.Column("user_messages", sa.Integer(), nullable=False),
        sa.Column("bot_messages", sa.Integer(), nullable=False),
        sa.Column("fallbacks", sa.Integer(), nullable=False),
        sa.Column("did_you_mean", sa.Integer(), nullable=False),
        sa.Column("answers_generated", sa.Integer(), nullable=False),
        sa.Column("answers_passage", sa.Integer(), nullable=False),
        sa.Column("answers_refused", sa.Integer(), nullable=False),
        sa.Column("handed_over", sa.Boolean(), nullable=False),
        sa.Column("sentiment_sum", sa.Float(), nullable=False),
        sa.Column("sentiment_count", sa.Integer(), nullable=False),
        sa.Column("upset", sa.Boolean(), nullable=False),
        sa.Column("orders_tracked", sa.Integer(), nullable=False),
        sa.Column("orders_cancelled", sa.Integer(), nullable=False),
        sa.Column("returns_opened", sa.Integer(), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("session_id", name=op.f("pk_insight_conversations")),
    )
    with op.batch_alter_table("insight_conversations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_insight_conversations_channel"), ["channel"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_insight_conversations_day"), ["day"], unique=False)

    op.create_table(
        "insight_cursors",
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("last_event_id", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("source", name=op.f("pk_insight_cursors")),
    )
    op.create_table(
        "insight_daily",
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("channel", sa.String(length=64), nullable=False),
        sa.Column("conversations", sa.Integer(), nullable=False),
        sa.Column("user_messages", sa.Integer(), nullable=False),
        sa.Column("bot_messages", sa.Integer(), nullable=False),
        sa.Column("handed_over", sa.Integer(), nullable=False),
        sa.Column("fallbacks", sa.Integer(), nullable=False),
        sa.Column("did_you_mean", sa.Integer(), nullable=False),
        sa.Column("answers_generated", sa.Integer(), nullable=False),
        sa.Column("answers_passage", sa.Integer(), nullable=False),
        sa.Column("answers_refused", sa.Integer(), nullable=False),
        sa.Column("sentiment_sum", sa.Float(), nullable=False),
        sa.Column("sentiment_count", sa.Integer(), nullable=False),
        sa.Column("upset", sa.Integer(), nullable=False),
        sa.Column("orders_tracked", sa.Integer(), nullable=False),
        sa.Column("orders_cancelled", sa.Integer(), nullable=False),
        sa.Column("returns_opened", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "channel", name=op.f("pk_insight_daily")),
    )
    op.create_table(
        "insight_daily_terms",
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("channel", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("term", sa.String(length=120), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "day", "channel", "kind", "term", name=op.f("pk_insight_daily_terms")
        ),
    )
    op.create_table(
        "insight_gap_clusters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("first_seen", sa.DateTime(), nullable=False),
        sa.Column("last_seen", sa.DateTime(), nullable=False),
        sa.Column("centroid", sa.JSON(), nullable=False),
        sa.Column("draft_question", sa.Text(), nullable=True),
        sa.Column("draft_answer", sa.Text(), nullable=True),
        sa.Column("draft_sources", sa.JSON(), nullable=True),
        sa.Column("fixed_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_insight_gap_clusters")),
    )
    with op.batch_alter_table("insight_gap_clusters", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_insight_gap_clusters_fixed_at"), ["fixed_at"], unique=False
        )

    op.create_table(
        "insight_terms",
        sa.Column("session_id", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("term", sa.String(length=120), nullable=False),
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("channel", sa.String(length=64), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("session_id", "kind", "term", name=op.f("pk_insight_terms")),
    )
    with op.batch_alter_table("insight_terms", schema=None) as batch_op:
        batch_op.create_index("ix_insight_terms_kind_day", ["kind", "day", "term"], unique=False)

    op.create_table(
        "insight_gap_members",
        sa.Column("gap_id", sa.Integer(), nullable=False),
        sa.Column("cluster_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cluster_id"],
            ["insight_gap_clusters.id"],
            name=op.f("fk_insight_gap_members_cluster_id_insight_gap_clusters"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["gap_id"],
            ["knowledge_gaps.id"],
            name=op.f("fk_insight_gap_members_gap_id_knowledge_gaps"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("gap_id", name=op.f("pk_insight_gap_members")),
    )
    with op.batch_alter_table("insight_gap_members", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_insight_gap_members_cluster_id"), ["cluster_id"], unique=False
        )


def downgrade() -> None:
    """Undoes :func:`upgrade`."""
    with op.batch_alter_table("insight_gap_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_insight_gap_members_cluster_id"))

    op.drop_table("insight_gap_members")
    with op.batch_alter_table("insight_terms", schema=None) as batch_op:
        batch_op.drop_index("ix_insight_terms_kind_day")

    op.drop_table("insight_terms")
    with op.batch_alter_table("insight_gap_clusters", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_insight_gap_clusters_fixed_at"))

    op.drop_table("insight_gap_clusters")
    op.drop_table("insight_daily_terms")
    op.drop_table("insight_daily")
    op.drop_table("insight_cursors")
    with op.batch_alter_table("insight_conversations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_insight_conversations_day"))
        batch_op.drop_index(batch_op.f("ix_insight_conversations_channel"))

    op.drop_table("insight_conversations")
