"""Which conversations a measure covers: a date range of their start day and a channel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from sqlalchemy import ColumnElement, and_, true
from sqlalchemy.sql.elements import SQLCoreOperations

from bot.insights.tables import InsightConversation

Granularity = Literal["day", "week"]


@dataclass(frozen=True)
class InsightFilter:
    """Conversations that started from ``since`` to ``until`` (both UTC days, inclusive), on
    ``channel`` (``None``: every channel)."""

    since: date | None = None
    until: date | None = None
    channel: str | None = None

    def __post_init__(self) -> None:
        if self.since and self.until and self.since > self.until:
            raise ValueError(
                f"since must not be after until. Currently, since is {self.since} and until "
                f"is {self.until}"
            )

    def condition(self) -> ColumnElement[bool]:
        """The SQL condition on :class:`InsightConversation` rows."""
        return self.on(InsightConversation.day, InsightConversation.channel)

    def on(
        self, day: SQLCoreOperations[str], channel: SQLCoreOperations[str]
    ) -> ColumnElement[bool]:
        """The SQL condition on any table with a day ("YYYY-MM-DD") and a channel column."""
        parts: list[ColumnElement[bool]] = [true()]
        if self.since:
            parts.append(day >= self.since.isoformat())
        if self.until:
            parts.append(day <= self.until.isoformat())
        if self.channel:
            parts.append(channel == self.channel)
        return and_(*parts)


def bucket(day: str, granularity: Granularity) -> str:
    """The bucket of a UTC day: the day itself, or the Monday of its ISO week."""
    if granularity == "day":
        return day
    start = date.fromisoformat(day)
    return (start - timedelta(days=start.weekday())).isoformat()
