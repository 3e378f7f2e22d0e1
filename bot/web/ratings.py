"""``/api/conversations``: the widget starts a conversation here and gets its key; with that key
(header ``X-Conversation-Key``) it stores and reads the shopper's rating of the chat. Calls per
client address are limited (429 with ``Retry-After``)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Header, HTTPException, Path, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from bot.appdata import get_rating, save_rating
from bot.appdata.models import MAX_COMMENT_CHARS, MAX_SESSION_ID_CHARS
from bot.handoff.agents import LoginLimiter
from bot.settings import get_settings
from bot.web.conversation_keys import KEY_HEADER, conversation_key, key_matches, new_conversation_id

router = APIRouter(prefix="/api/conversations", tags=["conversations"])

SessionId = Annotated[
    str,
    Path(
        min_length=1,
        max_length=MAX_SESSION_ID_CHARS,
        pattern=r"^[A-Za-z0-9_.-]+$",
        description="The conversation's session id (Rasa's sender id).",
    ),
]


def get_app_session(request: Request) -> Iterator[Session]:
    """A session of the app database, committed when the request succeeds."""
    with request.app.state.app_sessions() as session, session.begin():
        yield session


AppSessionDep = Annotated[Session, Depends(get_app_session)]


def _limit(request: Request, kind: str, per_minute: int) -> None:
    limiters: dict[str, LoginLimiter] = request.app.state.rate_limiters
    limiter = limiters.setdefault(kind, LoginLimiter(max(1, per_minute), 60))
    address = request.client.host if request.client else "unknown"
    wait = limiter.retry_after(address)
    if wait:
        raise HTTPException(
            status_code=429,
            detail=f"Too many requests from this address; try again in {wait} s",
            headers={"Retry-After": str(wait)},
        )
    limiter.failed(address)  # counts the call: the limiter counts events in a sliding window


def limit_ratings(request: Request) -> None:
    """Rating calls per client address: ``rating_rate_limit`` a minute, then 429."""
    _limit(request, "rating", get_settings().rating_rate_limit)


def limit_starts(request: Request) -> None:
    """Conversation starts per client address (each page view of a new shopper makes one):
    ten times ``rating_rate_limit`` a minute, then 429."""
    _limit(request, "start", 10 * get_settings().rating_rate_limit)


def require_key(
    session_id: SessionId,
    key: Annotated[str | None, Header(alias=KEY_HEADER, max_length=200)] = None,
) -> str:
    """The conversation id, once its key is checked: 401 without one, 403 with a wrong one."""
    if not key:
        raise HTTPException(
            status_code=401, detail=f"Missing {KEY_HEADER} header (the conversation's key)"
        )
    if not key_matches(session_id, key):
        raise HTTPException(status_code=403, detail="This key does not belong to the conversation")
    return session_id


KeyedSessionId = Annotated[str, Depends(require_key)]


class ConversationStarted(BaseModel):
    """A new conversation: its id (Rasa's sender id) and the key only its browser holds."""

    session_id: str
    key: str


@router.post("", status_code=201, dependencies=[Depends(limit_starts)])
def start_conversation() -> ConversationStarted:
    """Starts a conversation for the widget: a fresh id and its key (keep the key private)."""
    session_id = new_conversation_id()
    return ConversationStarted(session_id=session_id, key=conversation_key(session_id))


class RatingCreate(BaseModel):
    """A rating sent by the widget at the end of a conversation."""

    model_config = ConfigDict(extra="forbid")

    stars: int = Field(strict=True, ge=1, le=5, description="1 (bad) to 5 (very good).")
    comment: str | None = Field(default=None, max_length=MAX_COMMENT_CHARS)


class RatingPublic(BaseModel):
    """A stored rating."""

    session_id: str
    stars: int
    comment: str | None
    created_at: datetime
    updated_at: datetime


@router.post("/{session_id}/rating", status_code=201, dependencies=[Depends(limit_ratings)])
def rate_conversation(
    session_id: KeyedSessionId, rating: RatingCreate, db: AppSessionDep
) -> RatingPublic:
    """Stores the shopper's rating of a conversation (a second rating replaces the first); only
    with the conversation's key."""
    stored = save_rating(db, session_id, rating.stars, rating.comment)
    return RatingPublic.model_validate(stored, from_attributes=True)


@router.get("/{session_id}/rating", dependencies=[Depends(limit_ratings)])
def read_rating(session_id: KeyedSessionId, db: AppSessionDep) -> RatingPublic:
    """The stored rating of a conversation (only with its key)."""
    stored = get_rating(db, session_id)
    if stored is None:
        raise HTTPException(status_code=404, detail="This conversation has no rating")
    return RatingPublic.model_validate(stored, from_attributes=True)
