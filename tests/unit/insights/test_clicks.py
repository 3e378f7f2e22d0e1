"""Recommendation clicks: "Ask about this" on a products card sends its message with the
product's SKU in the metadata; the insights count them per product, across batches and days."""

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.insights.filters import InsightFilter
from bot.insights.refresh import rebuild_insights, update_insights
from bot.insights.report import build_report, report_tables
from bot.insights.text_report import report_lines
from tests.unit.insights.conversations import MONDAY, TUESDAY, user, write_events

pytestmark = pytest.mark.unit


def clicked(sku: str, at: float) -> dict:
    event = user(f"Tell me more about {sku}", "ask_product", "socketio")
    return {**event, "timestamp": at, "metadata": {"recommendation_click": {"sku": sku}}}


def typed(text: str, at: float, metadata: dict | None = None) -> dict:
    return {**user(text, "ask_product", "socketio"), "timestamp": at, "metadata": metadata or {}}


def test_clicks_are_counted_per_product_and_day(app_engine: Engine, tracker: Engine):
    monday, tuesday = MONDAY.timestamp(), TUESDAY.timestamp()
    write_events(
        tracker,
        [
            ("ann", clicked("FH-SH-0001", monday)),
            ("ann", typed("and in size 40?", monday + 5)),
            ("ann", clicked("FH-SH-0002", monday + 9)),
            ("ben", typed("any boots?", monday + 1, {"recommendation_click": "not a dict"})),
        ],
    )
    update_insights(app_engine, tracker)
    write_events(tracker, [("ann", clicked("FH-SH-0001", monday + 60))])  # a later batch
    write_events(tracker, [("cat", clicked("FH-SH-0001", tuesday))])
    update_insights(app_engine, tracker)

    with Session(app_engine) as session:
        both = build_report(session, InsightFilter(None, None, None))
        tuesday_only = build_report(session, InsightFilter(TUESDAY.date(), None, None))
    assert both["recommendation_clicks"] == [
        {"term": "FH-SH-0001", "count": 3},
        {"term": "FH-SH-0002", "count": 1},
    ]
    assert tuesday_only["recommendation_clicks"] == [{"term": "FH-SH-0001", "count": 1}]
    assert report_tables(both)["recommendation_clicks"][0] == {"term": "FH-SH-0001", "count": 3}
    assert "recommendation clicks FH-SH-0001 3, FH-SH-0002 1" in report_lines(both)

    rebuild_insights(app_engine, tracker)
    with Session(app_engine) as session:
        rebuilt = build_report(session, InsightFilter(None, None, None))
    assert rebuilt["recommendation_clicks"] == both["recommendation_clicks"]
