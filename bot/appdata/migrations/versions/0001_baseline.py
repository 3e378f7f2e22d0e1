"""Baseline: the app database as the release before migrations made it.

Ratings, knowledge gaps and the handoff console's agents, sessions, conversations, messages and
notes.

A database of that release has no revision: :func:`bot.appdata.migrate.upgrade_app_database`
stamps it at this revision when it holds every table below. One that holds only some of them
(a process that made its tables on first use) runs this revision, which creates the missing
tables and indexes and leaves the existing ones and their rows alone.

Revision ID: 0001
Revises:
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamp(name: str, nullable: bool = False) -> sa.Column[datetime]:
    # Naive UTC on every backend (bot.commerce.columns.UTCDateTime).
    return sa.Column(name, sa.DateTime(), nullable=nullable)


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), nullable=False)


def _index(name: str, table: str, columns: list[str]) -> None:
    op.create_index(op.f(name), table, columns, unique=False, if_not_exists=True)


def upgrade() -> None:
    """Creates every table of the app database that does not exist yet."""
    op.create_table(
        "conversation_ratings",
        _id(),
        sa.Column("session_id", sa.String(length=128), nullable=False),
        sa.Column("stars", sa.SmallInteger(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversation_ratings")),
        sa.CheckConstraint(
            "stars BETWEEN 1 AND 5", name=op.f("ck_conversation_ratings_stars_1_to_5")
        ),
        sa.CheckConstraint(
            "length(comment) <= 2000", name=op.f("ck_conversation_ratings_comment_length")
        ),
        sa.UniqueConstraint("session_id", name=op.f("uq_conversation_ratings_session_id")),
        if_not_exists=True,
    )
    op.create_table(
        "knowledge_gaps",
        _id(),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("normalised", sa.String(length=1000), nullable=False),
        sa.Column("session_id", sa.String(length=128), nullable=True),
        sa.Column("channel", sa.String(length=40), nullable=True),
        sa.Column("intent", sa.String(length=80), nullable=True),
        _timestamp("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_knowledge_gaps")),
        if_not_exists=True,
    )
    _index("ix_knowledge_gaps_normalised", "knowledge_gaps", ["normalised"])
    op.create_table(
        "agents",
        _id(),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        _timestamp("created_at"),
        _timestamp("last_login_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agents")),
        sa.UniqueConstraint("email", name=op.f("uq_agents_email")),
        if_not_exists=True,
    )
    op.create_table(
        "agent_sessions",
        _id(),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        _timestamp("created_at"),
        _timestamp("expires_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agent_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_agent_sessions_token_hash")),
        sa.ForeignKeyConstraint(
            ["agent_id"],
            ["agents.id"],
            name=op.f("fk_agent_sessions_agent_id_agents"),
            ondelete="CASCADE",
        ),
        if_not_exists=True,
    )
    _index("ix_agent_sessions_agent_id", "agent_sessions", ["agent_id"])
    op.create_table(
        "conversations",
        _id(),
        sa.Column("session_id", sa.String(length=128), nullable=False),
        sa.Column("channel", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("contact_email", sa.String(length=254), nullable=True),
        sa.Column("sentiment", sa.Float(), nullable=True),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        _timestamp("waiting_since", nullable=True),
        _timestamp("first_response_at", nullable=True),
        _timestamp("resolved_at", nullable=True),
        sa.Column("handoffs", sa.Integer(), nullable=False),
        sa.Column("synced_until", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversations")),
        sa.UniqueConstraint("session_id", name=op.f("uq_conversations_session_id")),
        sa.ForeignKeyConstraint(
            ["assignee_id"],
            ["agents.id"],
            name=op.f("fk_conversations_assignee_id_agents"),
            ondelete="SET NULL",
        ),
        if_not_exists=True,
    )
    _index("ix_conversations_queue", "conversations", ["status", "priority", "waiting_since"])
    op.create_table(
        "conversation_messages",
        _id(),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("sender", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=True),
        sa.Column("intent", sa.String(length=80), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("sentiment", sa.Float(), nullable=True),
        sa.Column("sources", sa.JSON(), nullable=True),
        _timestamp("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversation_messages")),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_conversation_messages_conversation_id_conversations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["agent_id"],
            ["agents.id"],
            name=op.f("fk_conversation_messages_agent_id_agents"),
            ondelete="SET NULL",
        ),
        if_not_exists=True,
    )
    _index("ix_conversation_messages_conversation_id", "conversation_messages", ["conversation_id"])
    op.create_table(
        "conversation_notes",
        _id(),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        _timestamp("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversation_notes")),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_conversation_notes_conversation_id_conversations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["agent_id"],
            ["agents.id"],
            name=op.f("fk_conversation_notes_agent_id_agents"),
            ondelete="SET NULL",
        ),
        if_not_exists=True,
    )
    _index("ix_conversation_notes_conversation_id", "conversation_notes", ["conversation_id"])


def downgrade() -> None:
    """Drops every table of the app database (and its rows)."""
    for table in (
        "conversation_notes",
        "conversation_messages",
        "conversations",
        "agent_sessions",
        "agents",
        "knowledge_gaps",
        "conversation_ratings",
    ):
        op.drop_table(table)
