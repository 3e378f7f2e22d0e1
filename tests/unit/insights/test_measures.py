"""Each measure on the hand-built conversations (tests/unit/insights/conversations.py), whose
answers are known: alice (web, contained, one generated and one passage answer), bob (Telegram,
fallback, "did you mean", upset, refused, handed over, 1 star), carol (web, a week later, an
order tracked and one cancelled, 5 stars) and dave (wrote nothing)."""

from datetime import date

import pytest
from sqlalchemy.orm import Session

from bot.insights import measures
from bot.insights.filters import InsightFilter
from bot.insights.refresh import update_insights
from bot.sentiment import compound
from tests.unit.insights.conversations import ANGRY, timeline, write_app_records, write_events

pytestmark = pytest.mark.unit
EVERYTHING = InsightFilter()


@pytest.fixture()
def session(app_engine, app_url, tracker):
    write_events(tracker, timeline())
    update_insights(app_engine, tracker)
    write_app_records(app_url)
    with Session(app_engine) as opened:
        yield opened


def test_conversations_messages_and_containment(session):
    totals = measures.totals(session, EVERYTHING)
    assert (totals["conversations"], totals["user_messages"], totals["messages"]) == (3, 7, 16)
    assert (totals["contained"], totals["containment"]) == (2, 0.6667)
    assert (totals["handed_over"], totals["handoff_rate"]) == (1, 0.3333)


def test_fallback_and_did_you_mean_rates_are_per_shopper_message(session):
    totals = measures.totals(session, EVERYTHING)
    assert (totals["fallbacks"], totals["fallback_rate"]) == (1, 0.1429)
    assert (totals["did_you_mean"], totals["did_you_mean_rate"]) == (1, 0.1429)


def test_knowledge_answers_by_how_they_were_made(session):
    totals = measures.totals(session, EVERYTHING)
    made = (totals["answers_generated"], totals["answers_passage"], totals["answers_refused"])
    assert made == (1, 1, 1)


def test_sentiment_average_and_upset_share(session):
    totals = measures.totals(session, EVERYTHING)
    # Five worded messages (button payloads carry no mood); four of them score 0.
    assert totals["average_sentiment"] == round(compound(ANGRY) / 5, 4)
    assert compound(ANGRY) <= -0.3
    assert (totals["upset"], totals["upset_share"]) == (1, 0.3333)


def test_order_tasks(session):
    totals = measures.totals(session, EVERYTHING)
    assert (totals["orders_tracked"], totals["orders_cancelled"], totals["returns_opened"]) == (
        1,
        1,
        0,
    )


def test_per_week_and_per_day(session):
    weeks = measures.series(session, EVERYTHING, "week")
    assert [(p["bucket"], p["conversations"]) for p in weeks] == [
        ("2026-11-02", 2),
        ("2026-11-09", 1),
    ]
    days = measures.series(session, EVERYTHING, "day")
    assert [(p["bucket"], p["conversations"]) for p in days] == [
        ("2026-11-02", 1),
        ("2026-11-03", 1),
        ("2026-11-10", 1),
    ]


def test_channel_and_date_filters(session):
    telegram = measures.totals(session, InsightFilter(channel="telegram"))
    assert (telegram["conversations"], telegram["containment"]) == (1, 0.0)
    later = measures.totals(session, InsightFilter(since=date(2026, 11, 4)))
    assert (later["conversations"], later["orders_tracked"]) == (1, 1)
    assert [c["channel"] for c in measures.by_channel(session, EVERYTHING)] == [
        "socketio",
        "telegram",
    ]
    with pytest.raises(ValueError, match="since must not be after until"):
        InsightFilter(since=date(2026, 11, 4), until=date(2026, 11, 3))


def test_handoff_reasons_and_agent_times(session):
    handoffs = measures.handoffs(session, EVERYTHING)
    assert handoffs["reasons"] == {"negative_sentiment": 1}
    assert (handoffs["first_response_average"], handoffs["resolution_median"]) == (60.0, 600.0)
    assert measures.handoffs(session, InsightFilter(channel="socketio"))["handed_over"] == 0


def test_csat_average_distribution_and_comments(session):
    csat = measures.csat(session, EVERYTHING)
    assert (csat["ratings"], csat["average"]) == (2, 3.0)
    assert csat["distribution"] == {"1": 1, "2": 0, "3": 0, "4": 0, "5": 1}
    assert [(c["session_id"], c["comment"]) for c in csat["comments"]] == [("bob", "slow")]


def test_top_intents_their_trend_and_top_products(session):
    intents = measures.top_terms(session, EVERYTHING, "intent")
    assert len(intents) == 7 and {i["count"] for i in intents} == {1}
    trend = measures.term_trend(session, EVERYTHING, ["greet", "track_order"], "week")
    assert trend == [
        {"bucket": "2026-11-02", "counts": {"greet": 1, "track_order": 0}},
        {"bucket": "2026-11-09", "counts": {"greet": 0, "track_order": 1}},
    ]
    assert measures.top_terms(session, EVERYTHING, "product") == [
        {"term": "linen apron", "count": 1}
    ]


def test_lowest_rated_first_with_their_console_transcript(session, app_url):
    rated = measures.lowest_rated(session, EVERYTHING)
    assert [(r["session_id"], r["stars"]) for r in rated] == [("bob", 1), ("carol", 5)]
    assert rated[0]["conversation_id"] is not None and rated[1]["conversation_id"] is None
