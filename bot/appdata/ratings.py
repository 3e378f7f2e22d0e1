"""Storing and reading conversation ratings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from bot.appdata.models import MAX_COMMENT_CHARS, ConversationRating


@dataclass(frozen=True)
class RatingView:
    """A stored rating, detached from its session."""

    session_id: str
    stars: int
    comment: str | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, row: ConversationRating) -> RatingView:
        """The view of a rating row."""
        return cls(row.session_id, row.stars, row.comment, row.created_at, row.updated_at)


def _by_session(session_id: str) -> Select[ConversationRating]:
    return select(ConversationRating).where(ConversationRating.session_id == session_id)


def save_rating(session: Session, session_id: str, stars: int, comment: str | None) -> RatingView:
    """Stores the rating of a conversation, replacing an earlier one of the same conversation.

    Args:
        session: Open database session; the caller commits.
        session_id: The conversation (Rasa's sender / socket.io session id).
        stars: 1 (bad) to 5 (very good).
        comment: Optional free text; blank means none.

    Raises:
        ValueError: ``stars`` is not a whole number from 1 to 5, or ``comment`` is too long.
    """
    if isinstance(stars, bool) or not isinstance(stars, int) or not 1 <= stars <= 5:
        raise ValueError(f"stars must be a whole number from 1 to 5. Currently, stars is {stars!r}")
    comment = (comment or "").strip() or None
    if comment is not None and len(comment) > MAX_COMMENT_CHARS:
        raise ValueError(
            f"comment must be at most {MAX_COMMENT_CHARS} characters. Currently, it has "
            f"{len(comment)}"
        )
    now = datetime.now(UTC)
    row = session.scalar(_by_session(session_id))
    if row is None:
        row = ConversationRating(session_id=session_id, created_at=now)
        session.add(row)
    row.stars, row.comment, row.updated_at = stars, comment, now
    session.flush()
    return RatingView.of(row)


def get_rating(session: Session, session_id: str) -> RatingView | None:
    """The rating of a conversation, or ``None`` if it was not rated."""
    row = session.scalar(_by_session(session_id))
    return None if row is None else RatingView.of(row)
