"""The per-day sums the dashboard reads (:class:`InsightDaily`, :class:`InsightDailyTerm`),
recomputed from the tallies for the days an update touched, in the update's transaction."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Integer, cast, delete, func, insert, select
from sqlalchemy.orm import Session

from bot.insights.tables import InsightConversation, InsightDaily, InsightDailyTerm, InsightTerm

SUMMED = (
    "user_messages",
    "bot_messages",
    "handed_over",
    "fallbacks",
    "did_you_mean",
    "answers_generated",
    "answers_passage",
    "answers_refused",
    "sentiment_sum",
    "sentiment_count",
    "upset",
    "orders_tracked",
    "orders_cancelled",
    "returns_opened",
)
# Flags are summed as integers: a SUM typed Boolean would read back as True, not 2.
FLAGS = frozenset({"handed_over", "upset"})
CHUNK = 500


def refresh_days(session: Session, days: Iterable[str]) -> None:
    """Recomputes the per-day sums of ``days`` from the tallies and their terms."""
    ordered = sorted(set(days))
    c, t = InsightConversation, InsightTerm
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        session.execute(delete(InsightDaily).where(InsightDaily.day.in_(chunk)))
        session.execute(delete(InsightDailyTerm).where(InsightDailyTerm.day.in_(chunk)))
        sums = [
            func.sum(cast(getattr(c, name), Integer) if name in FLAGS else getattr(c, name))
            for name in SUMMED
        ]
        session.execute(
            insert(InsightDaily).from_select(
                ["day", "channel", "conversations", *SUMMED],
                select(c.day, c.channel, func.count(), *sums)
                .where(c.day.in_(chunk), c.user_messages > 0)
                .group_by(c.day, c.channel),
            )
        )
        session.execute(
            insert(InsightDailyTerm).from_select(
                ["day", "channel", "kind", "term", "count"],
                select(t.day, t.channel, t.kind, t.term, func.sum(t.count))
                .where(t.day.in_(chunk))
                .group_by(t.day, t.channel, t.kind, t.term),
            )
        )
