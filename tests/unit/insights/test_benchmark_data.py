"""The insights benchmark's synthetic conversations read back as what was written."""

import random

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from benchmarks.insights import write_conversations
from bot.appdata import upgrade_app_database
from bot.handoff.models import Conversation
from bot.insights import measures
from bot.insights.filters import InsightFilter
from bot.insights.refresh import rebuild_insights

pytestmark = pytest.mark.unit


def test_every_synthetic_conversation_is_counted_with_its_handoff(app_engine, tracker):
    upgrade_app_database(app_engine)
    events = write_conversations(tracker, app_engine, 300, 0, random.Random(3))

    done = rebuild_insights(app_engine, tracker)

    with Session(app_engine) as session:
        totals = measures.totals(session, InsightFilter())
        handoffs = session.scalar(select(func.count()).select_from(Conversation))
        assert (done.events, totals["conversations"]) == (events, 300)
        assert totals["handed_over"] == handoffs > 0
        assert measures.handoffs(session, InsightFilter())["handed_over"] == handoffs
        assert {c["channel"] for c in measures.by_channel(session, InsightFilter())} == {
            "socketio",
            "telegram",
            "whatsapp",
        }
