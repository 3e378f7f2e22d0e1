"""The ratings table and the product-copy tables of the app database."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.appdata.base import MAX_SESSION_ID_CHARS, AppBase
from bot.commerce.columns import UTCDateTime

MAX_COMMENT_CHARS = 2000

__all__ = [
    "MAX_COMMENT_CHARS",
    "MAX_SESSION_ID_CHARS",
    "ConversationRating",
    "CopyDraft",
    "CopyVersion",
]


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


class CopyDraft(AppBase):
    """A piece of product copy an admin asked for: its products, purpose, audience and tone."""

    __tablename__ = "copy_drafts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    skus: Mapped[list[str]] = mapped_column(JSON)
    purpose: Mapped[str] = mapped_column(String(20))
    audience: Mapped[str] = mapped_column(String(120))
    tone: Mapped[str] = mapped_column(String(20))
    variant: Mapped[str] = mapped_column(String(1))
    created_by: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CopyVersion(AppBase):
    """One saved text of a draft (the first as written, then each edit) with its check."""

    __tablename__ = "copy_versions"
    __table_args__ = (UniqueConstraint("draft_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draft_id: Mapped[int] = mapped_column(
        ForeignKey("copy_drafts.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    method: Mapped[str] = mapped_column(String(16))  # generated, composed or edited
    note: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    grounded: Mapped[bool] = mapped_column(Boolean)
    unsupported: Mapped[int] = mapped_column(Integer)
    claims: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
