"""Questions the knowledge base could not answer (knowledge gaps), kept for the analytics."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, Integer, String, Text, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.appdata.base import AppBase
from bot.appdata.db import get_app_engine, get_app_sessionmaker
from bot.appdata.migrate import upgrade_app_database
from bot.commerce.columns import UTCDateTime

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 1000


class KnowledgeGap(AppBase):
    """One question that no passage answered (one row each time it is asked)."""

    __tablename__ = "knowledge_gaps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    question: Mapped[str] = mapped_column(Text)
    normalised: Mapped[str] = mapped_column(String(MAX_QUESTION_CHARS), index=True)
    session_id: Mapped[str | None] = mapped_column(String(128))
    channel: Mapped[str | None] = mapped_column(String(40))
    intent: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


@dataclass(frozen=True)
class GapCount:
    """A question the knowledge base could not answer and how often it was asked."""

    question: str
    times: int
    last_asked: datetime


def normalise_question(question: str) -> str:
    """Lower case, single spaces, no trailing punctuation: repeated questions group together."""
    return " ".join(question.lower().split()).rstrip(" ?!.")[:MAX_QUESTION_CHARS]


def add_knowledge_gap(
    session: Session,
    question: str,
    session_id: str | None = None,
    channel: str | None = None,
    intent: str | None = None,
) -> KnowledgeGap:
    """Adds one knowledge gap row (the caller commits).

    Raises:
        ValueError: ``question`` is blank.
    """
    if not question.strip():
        raise ValueError("question must not be blank")
    row = KnowledgeGap(
        question=question.strip()[:MAX_QUESTION_CHARS],
        normalised=normalise_question(question),
        session_id=session_id,
        channel=channel,
        intent=intent or None,
        created_at=datetime.now(UTC),
    )
    session.add(row)
    session.flush()
    return row


def record_knowledge_gap(
    question: str,
    session_id: str | None = None,
    channel: str | None = None,
    intent: str | None = None,
    engine: Engine | None = None,
) -> bool:
    """Stores a knowledge gap in the app database (upgrading its schema first if needed).

    Returns False (and logs) when the database cannot be written: the shopper's answer must
    not fail because of the analytics.
    """
    try:
        engine = engine or get_app_engine()
        upgrade_app_database(engine)
        with get_app_sessionmaker(engine)() as session, session.begin():
            add_knowledge_gap(session, question, session_id, channel, intent)
        return True
    except Exception as error:  # noqa: BLE001 - analytics must never break an answer
        log.warning("knowledge gap not recorded: %s", error)
        return False


def top_knowledge_gaps(session: Session, limit: int = 20) -> list[GapCount]:
    """The most often asked unanswered questions, most frequent first."""
    rows = session.execute(
        select(func.min(KnowledgeGap.question), func.count(), func.max(KnowledgeGap.created_at))
        .group_by(KnowledgeGap.normalised)
        .order_by(func.count().desc(), func.max(KnowledgeGap.created_at).desc())
        .limit(limit)
    ).all()
    return [GapCount(question, int(times), last) for question, times, last in rows]
