"""Every measure of a period in one report: what the dashboard API answers and the terminal
prints, and the tables the exports write."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from typing_extensions import TypedDict

from bot.insights import measures
from bot.insights.filters import Granularity, InsightFilter
from bot.insights.tables import InsightDaily

TOP_INTENTS_IN_TREND = 5


class InsightReport(TypedDict):
    """The measures of the conversations a filter covers."""

    since: str | None
    until: str | None
    channel: str | None
    granularity: Granularity
    channels: list[str]
    totals: measures.Counts
    by_channel: list[measures.ChannelCounts]
    series: list[measures.SeriesPoint]
    handoffs: measures.Handoffs
    csat: measures.Csat
    top_intents: list[measures.TermCount]
    intent_trend: list[measures.TermTrend]
    top_products: list[measures.TermCount]
    recommendation_clicks: list[measures.TermCount]
    lowest_rated: list[measures.RatedConversation]


def known_channels(session: Session) -> list[str]:
    """Every channel a conversation (with a message from the shopper) came from."""
    d = InsightDaily
    chosen = select(d.channel).distinct().order_by(d.channel)
    return [str(name) for name in session.scalars(chosen)]


def build_report(
    session: Session, where: InsightFilter, granularity: Granularity = "day"
) -> InsightReport:
    """Every measure of the conversations ``where`` covers."""
    intents = measures.top_terms(session, where, "intent")
    trend_terms = [entry["term"] for entry in intents[:TOP_INTENTS_IN_TREND]]
    rows = measures.day_rows(session, where)
    return {
        "since": where.since.isoformat() if where.since else None,
        "until": where.until.isoformat() if where.until else None,
        "channel": where.channel,
        "granularity": granularity,
        "channels": known_channels(session),
        "totals": measures.totals_of(rows),
        "by_channel": measures.by_channel_of(rows),
        "series": measures.series_of(rows, granularity),
        "handoffs": measures.handoffs(session, where),
        "csat": measures.csat(session, where),
        "top_intents": intents,
        "intent_trend": measures.term_trend(session, where, trend_terms, granularity),
        "top_products": measures.top_terms(session, where, "product"),
        "recommendation_clicks": measures.top_terms(session, where, "click"),
        "lowest_rated": measures.lowest_rated(session, where),
    }


def report_tables(report: InsightReport) -> dict[str, list[dict[str, Any]]]:
    """The report as flat tables (one list of rows each), for CSV and JSON export."""
    handoffs = report["handoffs"]
    return {
        "totals": [dict(report["totals"])],
        "by_channel": [dict(row) for row in report["by_channel"]],
        "series": [dict(row) for row in report["series"]],
        "handoff_reasons": [
            {"reason": reason, "conversations": n} for reason, n in handoffs["reasons"].items()
        ],
        "agent_times": [
            {key: value for key, value in handoffs.items() if key != "reasons"},
        ],
        "csat_distribution": [
            {"stars": int(stars), "ratings": n}
            for stars, n in report["csat"]["distribution"].items()
        ],
        "csat_comments": [dict(row) for row in report["csat"]["comments"]],
        "top_intents": [dict(row) for row in report["top_intents"]],
        "intent_trend": [
            {"bucket": row["bucket"], **row["counts"]} for row in report["intent_trend"]
        ],
        "top_products": [dict(row) for row in report["top_products"]],
        "recommendation_clicks": [dict(row) for row in report["recommendation_clicks"]],
        "lowest_rated": [dict(row) for row in report["lowest_rated"]],
    }
