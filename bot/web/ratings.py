"""``/api/conversations/{session_id}/rating``: the shopper's satisfaction rating of a chat."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from bot.appdata import get_rating, save_rating
from bot.appdata.models import MAX_COMMENT_CHARS, MAX_SESSION_ID_CHARS

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


@router.post("/{session_id}/rating", status_code=201)
def rate_conversation(
    session_id: SessionId, rating: RatingCreate, db: AppSessionDep
) -> RatingPublic:
    """Stores the shopper's rating of a conversation (a second rating replaces the first)."""
    stored = save_rating(db, session_id, rating.stars, rating.comment)
    return RatingPublic.model_validate(stored, from_attributes=True)


@router.get("/{session_id}/rating")
def read_rating(session_id: SessionId, db: AppSessionDep) -> RatingPublic:
    """The stored rating of a conversation."""
    stored = get_rating(db, session_id)
    if stored is None:
        raise HTTPException(status_code=404, detail="This conversation has no rating")
    return RatingPublic.model_validate(stored, from_attributes=True)
