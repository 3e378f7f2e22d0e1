"""The analytics tables follow the tracker store: incrementally from the cursor, or rebuilt."""

from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.insights.refresh import rebuild_insights, update_insights
from bot.insights.tables import InsightConversation, InsightTerm
from tests.unit.insights.conversations import halves, timeline, write_events

pytestmark = pytest.mark.unit


def snapshot(engine: Engine) -> dict[str, Any]:
    with Session(engine) as session:
        rows = session.scalars(select(InsightConversation)).all()
        terms = session.scalars(select(InsightTerm)).all()
        return {
            "conversations": {
                r.session_id: {
                    k: v for k, v in vars(r).items() if not k.startswith("_") and k != "state"
                }
                for r in rows
            },
            "terms": sorted((t.session_id, t.kind, t.term, t.count) for t in terms),
        }


def test_each_conversation_gets_its_tally(app_engine, tracker):
    write_events(tracker, timeline())

    report = update_insights(app_engine, tracker)

    assert (report.events, report.conversations) == (len(timeline()), 4)
    tallies = snapshot(app_engine)["conversations"]
    alice, bob, carol = tallies["alice"], tallies["bob"], tallies["carol"]
    assert (alice["channel"], alice["day"], alice["user_messages"], alice["bot_messages"]) == (
        "socketio",
        "2026-11-02",
        3,
        4,
    )
    assert (alice["answers_generated"], alice["answers_passage"], alice["answers_refused"]) == (
        1,
        1,
        0,
    )
    assert (bob["channel"], bob["fallbacks"], bob["did_you_mean"], bob["answers_refused"]) == (
        "telegram",
        1,
        1,
        1,
    )
    assert (bob["handed_over"], bob["upset"], alice["handed_over"], alice["upset"]) == (
        True,
        True,
        False,
        False,
    )
    assert (carol["orders_tracked"], carol["orders_cancelled"], carol["sentiment_count"]) == (
        1,
        1,
        0,
    )
    assert tallies["dave"]["user_messages"] == 0
    assert ("alice", "product", "linen apron", 1) in snapshot(app_engine)["terms"]


def test_an_update_reads_only_the_new_events_and_ends_where_a_rebuild_does(app_engine, tracker):
    first, second = halves()
    write_events(tracker, first)
    assert update_insights(app_engine, tracker).events == len(first)
    write_events(tracker, second)

    assert update_insights(app_engine, tracker).events == len(second)
    assert update_insights(app_engine, tracker).events == 0
    incremental = snapshot(app_engine)

    rebuilt = rebuild_insights(app_engine, tracker)
    assert rebuilt.events == len(first) + len(second)
    assert snapshot(app_engine) == incremental


def test_small_batches_split_conversations_without_changing_the_result(app_engine, tracker):
    write_events(tracker, timeline())
    update_insights(app_engine, tracker)
    whole = snapshot(app_engine)

    rebuild_insights(app_engine, tracker, batch_events=3)

    assert snapshot(app_engine) == whole


def test_a_batch_size_below_one_is_refused(app_engine, tracker):
    with pytest.raises(ValueError, match="limit must be greater than 0"):
        update_insights(app_engine, tracker, batch_events=0)
