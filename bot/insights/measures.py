"""The measures of the shop's conversations, per day or week and channel, read from the
analytics tables and the app database's ratings and handoffs (definitions: docs/insights.md)."""

from __future__ import annotations

from collections import defaultdict
from statistics import median
from typing import Any

from sqlalchemy import ColumnElement, Row, func, select
from sqlalchemy.orm import Session
from typing_extensions import TypedDict

from bot.appdata.models import ConversationRating
from bot.handoff.models import Conversation
from bot.insights.filters import Granularity, InsightFilter, bucket
from bot.insights.tables import InsightConversation, InsightDaily, InsightDailyTerm

COUNTED = (
    "conversations",
    "user_messages",
    "bot_messages",
    "handed_over",
    "fallbacks",
    "did_you_mean",
    "answers_generated",
    "answers_passage",
    "answers_refused",
    "sentiment_sum",
    "sentiment_count",
    "upset",
    "orders_tracked",
    "orders_cancelled",
    "returns_opened",
)


class Counts(TypedDict):
    """The measures of a set of conversations (a bucket, a channel, or all of them)."""

    conversations: int
    messages: int
    user_messages: int
    contained: int
    containment: float | None
    handed_over: int
    handoff_rate: float | None
    fallbacks: int
    fallback_rate: float | None
    did_you_mean: int
    did_you_mean_rate: float | None
    answers_generated: int
    answers_passage: int
    answers_refused: int
    average_sentiment: float | None
    upset: int
    upset_share: float | None
    orders_tracked: int
    orders_cancelled: int
    returns_opened: int


class SeriesPoint(Counts):
    """The measures of one day or week."""

    bucket: str


class ChannelCounts(Counts):
    """The measures of one channel."""

    channel: str


class Handoffs(TypedDict):
    """Conversations handed to people: why, and how fast the agents were (seconds)."""

    handed_over: int
    reasons: dict[str, int]
    first_response_average: float | None
    first_response_median: float | None
    resolution_average: float | None
    resolution_median: float | None


class Comment(TypedDict):
    """A rating with its comment."""

    session_id: str
    stars: int
    comment: str
    rated_at: str


class Csat(TypedDict):
    """Customer satisfaction: the ratings of the conversations (1 to 5 stars)."""

    ratings: int
    average: float | None
    distribution: dict[str, int]
    comments: list[Comment]


class TermCount(TypedDict):
    """An intent or a product and how often it came up."""

    term: str
    count: int


class TermTrend(TypedDict):
    """How often each top intent came up per bucket."""

    bucket: str
    counts: dict[str, int]


class RatedConversation(TypedDict):
    """A rated conversation; ``conversation_id`` is its console transcript when it was handed
    to people."""

    session_id: str
    stars: int
    comment: str | None
    rated_at: str
    channel: str
    conversation_id: int | None


def ratio(part: float, whole: float) -> float | None:
    """``part / whole`` rounded to 4 places; ``None`` when ``whole`` is 0."""
    return round(part / whole, 4) if whole else None


def counts_of(totals: dict[str, float]) -> Counts:
    """The measures from summed columns (``COUNTED``)."""

    def n(name: str) -> int:
        return int(totals.get(name, 0))

    conversations, users = n("conversations"), n("user_messages")
    contained = conversations - n("handed_over")
    return {
        "conversations": conversations,
        "messages": users + n("bot_messages"),
        "user_messages": users,
        "contained": contained,
        "containment": ratio(contained, conversations),
        "handed_over": n("handed_over"),
        "handoff_rate": ratio(n("handed_over"), conversations),
        "fallbacks": n("fallbacks"),
        "fallback_rate": ratio(n("fallbacks"), users),
        "did_you_mean": n("did_you_mean"),
        "did_you_mean_rate": ratio(n("did_you_mean"), users),
        "answers_generated": n("answers_generated"),
        "answers_passage": n("answers_passage"),
        "answers_refused": n("answers_refused"),
        "average_sentiment": ratio(totals.get("sentiment_sum", 0.0), n("sentiment_count")),
        "upset": n("upset"),
        "upset_share": ratio(n("upset"), conversations),
        "orders_tracked": n("orders_tracked"),
        "orders_cancelled": n("orders_cancelled"),
        "returns_opened": n("returns_opened"),
    }


def _day_rows(session: Session, where: InsightFilter) -> list[Row[Any]]:
    """Summed columns per (day, channel) of the conversations with a shopper's message."""
    d = InsightDaily
    return list(
        session.execute(
            select(d.day, d.channel, *(getattr(d, name) for name in COUNTED))
            .where(where.on(d.day, d.channel))
            .order_by(d.day, d.channel)
        )
    )


def _summed(rows: list[Row[Any]], key: str | None) -> dict[str, dict[str, float]]:
    groups: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for row in rows:
        group = groups[str(getattr(row, key)) if key else ""]
        for name in COUNTED:
            group[name] += float(getattr(row, name) or 0)
    return groups


def day_rows(session: Session, where: InsightFilter) -> list[Row[Any]]:
    """Summed columns per (day, channel): what :func:`totals_of`, :func:`by_channel_of` and
    :func:`series_of` add up (read once for all three)."""
    return _day_rows(session, where)


def totals_of(rows: list[Row[Any]]) -> Counts:
    """The measures of all of ``rows`` (from :func:`day_rows`)."""
    return counts_of(_summed(rows, None).get("", {}))


def by_channel_of(rows: list[Row[Any]]) -> list[ChannelCounts]:
    """The measures per channel of ``rows`` (from :func:`day_rows`)."""
    groups = _summed(rows, "channel")
    return [ChannelCounts(channel=name, **counts_of(g)) for name, g in sorted(groups.items())]


def series_of(rows: list[Row[Any]], granularity: Granularity) -> list[SeriesPoint]:
    """The measures per day or per week (Monday's date) of ``rows``, oldest first."""
    groups: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for row in rows:
        group = groups[bucket(row.day, granularity)]
        for name in COUNTED:
            group[name] += float(getattr(row, name) or 0)
    return [SeriesPoint(bucket=b, **counts_of(g)) for b, g in sorted(groups.items())]


def totals(session: Session, where: InsightFilter) -> Counts:
    """The measures of every conversation ``where`` covers."""
    return totals_of(day_rows(session, where))


def by_channel(session: Session, where: InsightFilter) -> list[ChannelCounts]:
    """The measures per channel."""
    return by_channel_of(day_rows(session, where))


def series(session: Session, where: InsightFilter, granularity: Granularity) -> list[SeriesPoint]:
    """The measures per day or per week (Monday's date), oldest first."""
    return series_of(day_rows(session, where), granularity)


def _covering(where: InsightFilter) -> list[ColumnElement[bool]]:
    """The conditions on :class:`InsightConversation` joined to another table."""
    return [where.condition(), InsightConversation.user_messages > 0]


def _covers(where: InsightFilter, session_id: Any) -> ColumnElement[bool]:
    """``session_id`` is a conversation ``where`` covers (a correlated EXISTS: the planner walks
    the smaller table, handoffs or ratings, and looks each one up by its key)."""
    c = InsightConversation
    return select(c.session_id).where(c.session_id == session_id, *_covering(where)).exists()


def _seconds(later: Any, earlier: Any, dialect: str) -> Any:
    """SQL for the seconds from ``earlier`` to ``later`` (NULL when either is), so that thousands
    of handoffs are not read back as timestamps one by one."""
    if dialect == "sqlite":
        return (func.julianday(later) - func.julianday(earlier)) * 86400.0
    return func.extract("epoch", later - earlier)


def handoffs(session: Session, where: InsightFilter) -> Handoffs:
    """Why conversations went to people and the agents' first response and resolution times."""
    dialect = session.get_bind().dialect.name
    h = Conversation
    rows = session.execute(
        select(
            h.reason,
            _seconds(h.first_response_at, h.created_at, dialect),
            _seconds(h.resolved_at, h.created_at, dialect),
        ).where(_covers(where, h.session_id))
    ).all()
    reasons: dict[str, int] = defaultdict(int)
    first: list[float] = []
    resolution: list[float] = []
    for reason, responded, resolved in rows:
        reasons[reason] += 1
        if responded is not None:
            first.append(float(responded))
        if resolved is not None:
            resolution.append(float(resolved))

    def average(values: list[float]) -> float | None:
        return round(sum(values) / len(values), 1) if values else None

    return {
        "handed_over": len(rows),
        "reasons": dict(sorted(reasons.items(), key=lambda item: (-item[1], item[0]))),
        "first_response_average": average(first),
        "first_response_median": round(median(first), 1) if first else None,
        "resolution_average": average(resolution),
        "resolution_median": round(median(resolution), 1) if resolution else None,
    }


def csat(session: Session, where: InsightFilter, comments: int = 10) -> Csat:
    """The ratings of the covered conversations: average, stars distribution, latest comments."""
    r = ConversationRating
    covered = _covers(where, r.session_id)
    stars = session.execute(select(r.stars, func.count()).where(covered).group_by(r.stars)).all()
    distribution = {str(n): 0 for n in range(1, 6)}
    for value, times in stars:
        distribution[str(value)] = int(times)
    total = sum(distribution.values())
    latest = session.execute(
        select(r.session_id, r.stars, r.comment, r.updated_at)
        .where(covered, r.comment.is_not(None))
        .order_by(r.updated_at.desc(), r.id.desc())
        .limit(comments)
    ).all()
    return {
        "ratings": total,
        "average": ratio(sum(int(k) * v for k, v in distribution.items()), total),
        "distribution": distribution,
        "comments": [
            {"session_id": s, "stars": n, "comment": text or "", "rated_at": at.isoformat()}
            for s, n, text, at in latest
        ],
    }


def top_terms(
    session: Session, where: InsightFilter, kind: str, limit: int = 10
) -> list[TermCount]:
    """The intents (``kind="intent"``) or products (``"product"``) that came up most."""
    t = InsightDailyTerm
    total = func.sum(t.count)
    rows = session.execute(
        select(t.term, total)
        .where(t.kind == kind, where.on(t.day, t.channel))
        .group_by(t.term)
        .order_by(total.desc(), t.term)
        .limit(limit)
    ).all()
    return [{"term": term, "count": int(count)} for term, count in rows]


def term_trend(
    session: Session, where: InsightFilter, terms: list[str], granularity: Granularity
) -> list[TermTrend]:
    """How often each of ``terms`` (intents) came up per day or week, oldest first."""
    if not terms:
        return []
    t = InsightDailyTerm
    rows = session.execute(
        select(t.day, t.term, func.sum(t.count))
        .where(t.kind == "intent", t.term.in_(terms), where.on(t.day, t.channel))
        .group_by(t.day, t.term)
    ).all()
    buckets: dict[str, dict[str, int]] = defaultdict(lambda: {term: 0 for term in terms})
    for day, term, count in rows:
        buckets[bucket(day, granularity)][term] += int(count)
    return [{"bucket": b, "counts": dict(c)} for b, c in sorted(buckets.items())]


def lowest_rated(
    session: Session, where: InsightFilter, limit: int = 10
) -> list[RatedConversation]:
    """The covered conversations with the fewest stars (the latest first among equals)."""
    r, c = ConversationRating, InsightConversation
    channel = select(c.channel).where(c.session_id == r.session_id).scalar_subquery()
    rows = session.execute(
        select(r.session_id, r.stars, r.comment, r.updated_at, channel, Conversation.id)
        .outerjoin(Conversation, Conversation.session_id == r.session_id)
        .where(_covers(where, r.session_id))
        .order_by(r.stars, r.updated_at.desc(), r.id.desc())
        .limit(limit)
    ).all()
    return [
        {
            "session_id": sid,
            "stars": stars,
            "comment": comment,
            "rated_at": at.isoformat(),
            "channel": channel,
            "conversation_id": console_id,
        }
        for sid, stars, comment, at, channel, console_id in rows
    ]
