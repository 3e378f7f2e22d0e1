"""The ratings table of the app database."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.appdata.base import MAX_SESSION_ID_CHARS, AppBase
from bot.commerce.columns import UTCDateTime

MAX_COMMENT_CHARS = 2000

__all__ = ["MAX_COMMENT_CHARS", "MAX_SESSION_ID_CHARS", "ConversationRating"]


class ConversationRating(AppBase):
    """The shopper's satisfaction rating of one conversation (one per session; a new rating
    replaces the old one)."""

    __tablename__ = "conversation_ratings"
    __table_args__ = (
        CheckConstraint("stars BETWEEN 1 AND 5", name="stars_1_to_5"),
        CheckConstraint(f"length(comment) <= {MAX_COMMENT_CHARS}", name="comment_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[str] = mapped_column(String(MAX_SESSION_ID_CHARS), unique=True)
    stars: Mapped[int] = mapped_column(SmallInteger)
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
