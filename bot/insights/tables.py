"""The analytics tables of the app database: the tallies filled from Rasa's events by
:mod:`bot.insights.refresh` (and emptied by its rebuild), and the clusters of knowledge gaps of
:mod:`bot.insights.gaps`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.appdata.base import MAX_SESSION_ID_CHARS, AppBase
from bot.commerce.columns import UTCDateTime

MAX_TERM_CHARS = 120


class InsightCursor(AppBase):
    """How far a source of events has been read (the id of the last event processed)."""

    __tablename__ = "insight_cursors"

    source: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_event_id: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class InsightConversation(AppBase):
    """What one conversation (one Rasa sender id) did, tallied from its events."""

    __tablename__ = "insight_conversations"

    session_id: Mapped[str] = mapped_column(String(MAX_SESSION_ID_CHARS), primary_key=True)
    channel: Mapped[str] = mapped_column(String(64), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # UTC day of started_at ("2026-12-03"): the bucket every measure groups by.
    day: Mapped[str] = mapped_column(String(10), index=True)
    last_event_at: Mapped[datetime] = mapped_column(UTCDateTime())
    user_messages: Mapped[int] = mapped_column(Integer, default=0)
    bot_messages: Mapped[int] = mapped_column(Integer, default=0)
    fallbacks: Mapped[int] = mapped_column(Integer, default=0)
    did_you_mean: Mapped[int] = mapped_column(Integer, default=0)
    answers_generated: Mapped[int] = mapped_column(Integer, default=0)
    answers_passage: Mapped[int] = mapped_column(Integer, default=0)
    answers_refused: Mapped[int] = mapped_column(Integer, default=0)
    handed_over: Mapped[bool] = mapped_column(Boolean, default=False)
    sentiment_sum: Mapped[float] = mapped_column(Float, default=0.0)
    sentiment_count: Mapped[int] = mapped_column(Integer, default=0)
    upset: Mapped[bool] = mapped_column(Boolean, default=False)
    orders_tracked: Mapped[int] = mapped_column(Integer, default=0)
    orders_cancelled: Mapped[int] = mapped_column(Integer, default=0)
    returns_opened: Mapped[int] = mapped_column(Integer, default=0)
    # Where the fold stopped inside the conversation (current action, slots it reads).
    state: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class InsightTerm(AppBase):
    """How often one conversation had an intent or asked about a product."""

    __tablename__ = "insight_terms"
    __table_args__ = (Index("ix_insight_terms_kind_day", "kind", "day", "term"),)

    session_id: Mapped[str] = mapped_column(String(MAX_SESSION_ID_CHARS), primary_key=True)
    kind: Mapped[str] = mapped_column(
        String(16), primary_key=True
    )  # "intent", "product" or "click"
    term: Mapped[str] = mapped_column(String(MAX_TERM_CHARS), primary_key=True)
    day: Mapped[str] = mapped_column(String(10))
    channel: Mapped[str] = mapped_column(String(64))
    count: Mapped[int] = mapped_column(Integer, default=0)


class GapCluster(AppBase):
    """Unanswered questions that mean the same thing (MiniLM vectors close to the centroid), and
    the FAQ entry drafted for them; a fixed cluster leaves the list."""

    __tablename__ = "insight_gap_clusters"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    label: Mapped[str] = mapped_column(Text)  # the first question of the cluster
    size: Mapped[int] = mapped_column(Integer, default=0)
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime())
    # unit-length mean of the members' vectors
    centroid: Mapped[list[float]] = mapped_column(JSON)
    draft_question: Mapped[str | None] = mapped_column(Text)
    draft_answer: Mapped[str | None] = mapped_column(Text)
    draft_sources: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    fixed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)


class GapMember(AppBase):
    """Which cluster a knowledge gap (one asked question) belongs to."""

    __tablename__ = "insight_gap_members"

    gap_id: Mapped[int] = mapped_column(
        ForeignKey("knowledge_gaps.id", ondelete="CASCADE"), primary_key=True
    )
    cluster_id: Mapped[int] = mapped_column(
        ForeignKey("insight_gap_clusters.id", ondelete="CASCADE"), index=True
    )


class InsightDaily(AppBase):
    """The sums of the tallies of one day and channel (conversations with a shopper's message):
    what the dashboard reads, kept by every update for the days it touched."""

    __tablename__ = "insight_daily"

    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    channel: Mapped[str] = mapped_column(String(64), primary_key=True)
    conversations: Mapped[int] = mapped_column(Integer, default=0)
    user_messages: Mapped[int] = mapped_column(Integer, default=0)
    bot_messages: Mapped[int] = mapped_column(Integer, default=0)
    handed_over: Mapped[int] = mapped_column(Integer, default=0)
    fallbacks: Mapped[int] = mapped_column(Integer, default=0)
    did_you_mean: Mapped[int] = mapped_column(Integer, default=0)
    answers_generated: Mapped[int] = mapped_column(Integer, default=0)
    answers_passage: Mapped[int] = mapped_column(Integer, default=0)
    answers_refused: Mapped[int] = mapped_column(Integer, default=0)
    sentiment_sum: Mapped[float] = mapped_column(Float, default=0.0)
    sentiment_count: Mapped[int] = mapped_column(Integer, default=0)
    upset: Mapped[int] = mapped_column(Integer, default=0)
    orders_tracked: Mapped[int] = mapped_column(Integer, default=0)
    orders_cancelled: Mapped[int] = mapped_column(Integer, default=0)
    returns_opened: Mapped[int] = mapped_column(Integer, default=0)


class InsightDailyTerm(AppBase):
    """How often an intent or product came up on one day and channel."""

    __tablename__ = "insight_daily_terms"

    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    channel: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    term: Mapped[str] = mapped_column(String(MAX_TERM_CHARS), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
