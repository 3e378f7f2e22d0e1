"""Retention limits: conversations, knowledge gaps, ratings and profiles older than their
setting are deleted by :func:`purge` (``python -m bot privacy purge``, run daily by
``make run``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from bot.appdata.knowledge_gaps import KnowledgeGap
from bot.appdata.models import ConversationRating
from bot.handoff.models import Conversation
from bot.insights.tracker_events import events_table
from bot.privacy import stores
from bot.privacy.shopper_data import erase_conversations
from bot.settings import get_settings


@dataclass(frozen=True)
class RetentionDays:
    """How many days each kind of data is kept."""

    transcripts: int
    gaps: int
    ratings: int
    profiles: int

    @classmethod
    def from_settings(cls) -> RetentionDays:
        """The ``retention_*_days`` settings."""
        s = get_settings()
        return cls(
            s.retention_transcript_days,
            s.retention_gap_days,
            s.retention_rating_days,
            s.retention_profile_days,
        )

    def __post_init__(self) -> None:
        for name, days in vars(self).items():
            if days < 1:
                raise ValueError(f"{name} must be kept at least 1 day. Currently, it is {days}")


def purge(
    app: Session, tracker: Engine, days: RetentionDays, now: datetime | None = None
) -> dict[str, int]:
    """Deletes what is older than its limit; returns the count of deleted rows per table.

    A conversation goes when its newest tracker event (or, for console-only conversations,
    its last update) is older than ``days.transcripts``; with it go its console transcript and
    the analytics' rows. The caller commits ``app``.
    """
    now = now or datetime.now(UTC)
    counts: dict[str, int] = {}
    cutoff = now - timedelta(days=days.transcripts)
    old: list[str] = []
    if stores.has_events(tracker):
        with tracker.begin() as connection:
            newest = func.max(events_table.c.timestamp)
            query = (
                select(events_table.c.sender_id)
                .group_by(events_table.c.sender_id)
                .having(newest < cutoff.timestamp())
            )
            old = [str(sender) for (sender,) in connection.execute(query)]
            if old:
                result = connection.execute(
                    delete(events_table).where(events_table.c.sender_id.in_(old))
                )
                counts["tracker_events"] = result.rowcount or 0
    stale = app.scalars(select(Conversation.session_id).where(Conversation.updated_at < cutoff))
    for table, removed in erase_conversations(app, sorted(set(old) | set(stale))).items():
        counts[table] = counts.get(table, 0) + removed
    gaps = list(
        app.scalars(
            select(KnowledgeGap.id).where(KnowledgeGap.created_at < now - timedelta(days=days.gaps))
        )
    )
    for member in stores.cluster_members(app, gaps):
        app.delete(member)
    gap_table, rating_table = KnowledgeGap.__tablename__, ConversationRating.__tablename__
    counts[gap_table] = counts.get(gap_table, 0) + stores.deleted(
        app, delete(KnowledgeGap).where(KnowledgeGap.id.in_(gaps))
    )
    rating_cutoff = now - timedelta(days=days.ratings)
    counts[rating_table] = counts.get(rating_table, 0) + stores.deleted(
        app, delete(ConversationRating).where(ConversationRating.updated_at < rating_cutoff)
    )
    module = stores.profiles_module()
    purge_profiles = getattr(module, "purge_profiles", None) if module is not None else None
    if purge_profiles is not None:  # the profiles' own module knows when a profile was last used
        counts["profiles"] = int(purge_profiles(app, now - timedelta(days=days.profiles)) or 0)
    app.flush()
    return {table: n for table, n in counts.items() if n}
