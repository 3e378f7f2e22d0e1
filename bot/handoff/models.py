"""Tables of the handoff console in the app database (registered on :class:`AppBase`)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.appdata.base import MAX_SESSION_ID_CHARS, AppBase
from bot.commerce.columns import UTCDateTime

if TYPE_CHECKING:
    # Mapped by name on the same registry (bot.appdata registers it when the package loads).
    from bot.appdata.models import ConversationRating

MAX_MESSAGE_CHARS = 4000
MAX_NOTE_CHARS = 4000
MAX_DISPLAY_NAME_CHARS = 120


class Status(StrEnum):
    """Where a conversation is (help-desk names): ``pending`` while the bot has it, ``open`` once
    it waits for or is with a person, ``resolved`` when done, ``snoozed`` until the shopper
    writes again."""

    PENDING = "pending"
    OPEN = "open"
    RESOLVED = "resolved"
    SNOOZED = "snoozed"


class Role(StrEnum):
    """What an agent may do: admins also manage agents."""

    AGENT = "agent"
    ADMIN = "admin"


class Sender(StrEnum):
    """Who wrote a message."""

    CONTACT = "contact"
    BOT = "bot"
    AGENT = "agent"
    SYSTEM = "system"


class Agent(AppBase):
    """A person of the support team who signs in to the console."""

    __tablename__ = "agents"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(16), default=Role.AGENT.value)
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AgentSession(AppBase):
    """A signed-in browser: only the SHA-256 of the cookie's token is stored."""

    __tablename__ = "agent_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())

    agent: Mapped[Agent] = relationship(lazy="joined")


class Conversation(AppBase):
    """A conversation that was handed to people (one row per Rasa sender id)."""

    __tablename__ = "conversations"
    __table_args__ = (Index("ix_conversations_queue", "status", "priority", "waiting_since"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[str] = mapped_column(String(MAX_SESSION_ID_CHARS), unique=True)
    channel: Mapped[str | None] = mapped_column(String(64))
    # the messaging app (``whatsapp``, ``instagram``...) and the shopper's name as it shows it
    app: Mapped[str | None] = mapped_column(String(32))
    display_name: Mapped[str | None] = mapped_column(String(MAX_DISPLAY_NAME_CHARS))
    # when the shopper last wrote (apps limit free replies to a window after it)
    last_contact_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16), default=Status.OPEN.value)
    priority: Mapped[int] = mapped_column(Integer, default=1)
    reason: Mapped[str] = mapped_column(String(32))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id", ondelete="SET NULL"))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    sentiment: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    waiting_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    handoffs: Mapped[int] = mapped_column(Integer, default=1)
    # Rasa event timestamp up to which the transcript has been copied from the tracker.
    synced_until: Mapped[float] = mapped_column(Float, default=0.0)

    assignee: Mapped[Agent | None] = relationship(lazy="joined")
    rating: Mapped[ConversationRating | None] = relationship(
        "ConversationRating",
        primaryjoin="foreign(Conversation.session_id) == ConversationRating.session_id",
        viewonly=True,
        lazy="joined",
        uselist=False,
    )


class Message(AppBase):
    """One line of a transcript: the shopper's and the bot's (copied from Rasa's tracker), an
    agent's (sent from the console), or an activity (handed over, claimed, handed back)."""

    __tablename__ = "conversation_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    sender: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id", ondelete="SET NULL"))
    intent: Mapped[str | None] = mapped_column(String(80))
    confidence: Mapped[float | None] = mapped_column(Float)
    sentiment: Mapped[float | None] = mapped_column(Float)
    sources: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    # the card a bot line carried (order status, products…; bot.messages.cards), shown under it
    card: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    agent: Mapped[Agent | None] = relationship(lazy="joined")


class Note(AppBase):
    """A private note of an agent on a conversation (never shown to the shopper)."""

    __tablename__ = "conversation_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    agent: Mapped[Agent | None] = relationship(lazy="joined")
