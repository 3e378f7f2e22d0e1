"""Request and response bodies of the console API."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from bot.handoff.models import (
    MAX_MESSAGE_CHARS,
    MAX_NOTE_CHARS,
    Agent,
    Conversation,
    Role,
)
from bot.handoff.queue import PRIORITY_NAMES
from bot.handoff.reply_window import reply_window
from bot.messages import StoredMessage


class Strict(BaseModel):
    """A request body that refuses unknown fields."""

    model_config = ConfigDict(extra="forbid")


class LoginRequest(Strict):
    email: str = Field(min_length=3, max_length=254)
    password: str = Field(min_length=1, max_length=1024)


class AgentPublic(BaseModel):
    id: int
    email: str
    name: str
    role: Role
    active: bool
    created_at: datetime
    last_login_at: datetime | None

    @classmethod
    def of(cls, agent: Agent) -> AgentPublic:
        return cls.model_validate(agent, from_attributes=True)


class SessionPublic(BaseModel):
    agent: AgentPublic
    csrf_token: str
    expires_at: datetime


class AgentCreate(Strict):
    email: str = Field(min_length=3, max_length=254)
    name: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=12, max_length=1024)
    role: Role = Role.AGENT


class AgentUpdate(Strict):
    name: str | None = Field(default=None, min_length=1, max_length=80)
    role: Role | None = None
    active: bool | None = None
    password: str | None = Field(default=None, min_length=12, max_length=1024)


class TextBody(Strict):
    text: str = Field(min_length=1, max_length=MAX_MESSAGE_CHARS)


class NoteBody(Strict):
    text: str = Field(min_length=1, max_length=MAX_NOTE_CHARS)


class AssignBody(Strict):
    agent_id: int = Field(gt=0)


class PriorityBody(Strict):
    priority: int = Field(ge=0, le=3, description="0 low, 1 normal, 2 high, 3 urgent.")


class ReplyWindowPublic(BaseModel):
    """Whether an agent's reply can reach the shopper's app now (WhatsApp: 24 hours after the
    shopper's last message; Messenger: 7 days, tagged ``HUMAN_AGENT`` after 24 hours)."""

    open: bool
    closes_at: datetime | None
    message_tag: str | None
    reason: str | None


class ConversationPublic(BaseModel):
    id: int
    session_id: str
    channel: str | None
    app: str | None
    display_name: str | None
    last_contact_at: datetime | None
    reply_window: ReplyWindowPublic
    status: str
    priority: int
    priority_name: str
    reason: str
    assignee: AgentPublic | None
    contact_email: str | None
    sentiment: float | None
    handoffs: int
    created_at: datetime
    updated_at: datetime
    waiting_since: datetime | None
    first_response_at: datetime | None
    resolved_at: datetime | None
    rating: dict[str, Any] | None
    preview: str | None = None

    @classmethod
    def of(cls, row: Conversation, preview: str | None = None) -> ConversationPublic:
        rating = row.rating
        window = reply_window(row.channel, row.app, row.last_contact_at, datetime.now(UTC))
        return cls(
            id=row.id,
            session_id=row.session_id,
            channel=row.channel,
            app=row.app,
            display_name=row.display_name,
            last_contact_at=row.last_contact_at,
            reply_window=ReplyWindowPublic(**window.__dict__),
            status=row.status,
            priority=row.priority,
            priority_name=PRIORITY_NAMES.get(row.priority, "normal"),
            reason=row.reason,
            assignee=AgentPublic.of(row.assignee) if row.assignee else None,
            contact_email=row.contact_email,
            sentiment=row.sentiment,
            handoffs=row.handoffs,
            created_at=row.created_at,
            updated_at=row.updated_at,
            waiting_since=row.waiting_since,
            first_response_at=row.first_response_at,
            resolved_at=row.resolved_at,
            rating={"stars": rating.stars, "comment": rating.comment} if rating else None,
            preview=preview,
        )


class NotePublic(BaseModel):
    id: int
    text: str
    agent: str | None
    created_at: datetime


class ConversationDetail(BaseModel):
    conversation: ConversationPublic
    messages: list[StoredMessage]
    notes: list[NotePublic]
    summary: dict[str, Any]


class SuggestionPublic(BaseModel):
    text: str
    source_title: str | None
    source_url: str | None
    confidence: float | None
