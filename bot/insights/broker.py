"""Rasa's events from the RabbitMQ event broker, for the analytics.

Rasa's pika broker publishes every event of every conversation to the fanout exchange
``rasa-exchange`` as JSON: the event's own dictionary with ``sender_id`` added. The consumer
binds its own durable queue to that exchange (so it takes nothing from other consumers' queues),
and writes the events, in arrival order, into an *event log*: a SQL table with the columns of
Rasa's SQL tracker store. The analytics update reads that log exactly as it reads a tracker
store (its ids are the cursor). A batch is acknowledged only after it is committed, so an event
is never lost; one delivered again after a crash is skipped by its fingerprint.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, Engine, MetaData, String, Table, insert, select

from bot.insights.tracker_events import events_table, tracker_metadata

log = logging.getLogger(__name__)
RASA_EXCHANGE = "rasa-exchange"
DEFAULT_QUEUE = "fernhill_insights"
DEFAULT_BROKER_URL = "amqp://guest:guest@127.0.0.1:5672/%2F"
BATCH = 500

_seen_metadata = MetaData()
seen_table = Table(
    "insight_broker_seen",
    _seen_metadata,
    Column("fingerprint", String(64), primary_key=True),
)


class BadEvent(ValueError):
    """A broker message that is not one of Rasa's events (the message says why)."""


def event_row(body: bytes) -> dict[str, Any]:
    """The event-log row of one broker message.

    Raises:
        BadEvent: The body is not a JSON object with ``sender_id`` and ``event``.
    """
    try:
        event = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BadEvent(f"not JSON: {error}") from error
    if not isinstance(event, dict):
        raise BadEvent("not a JSON object")
    sender, kind = event.get("sender_id"), event.get("event")
    if not isinstance(sender, str) or not sender or not isinstance(kind, str) or not kind:
        raise BadEvent("no sender_id or event name")
    parse = event.get("parse_data") if kind == "user" else None
    intent = (parse or {}).get("intent") if isinstance(parse, dict) else None
    stamp = event.get("timestamp")
    data = {key: value for key, value in event.items() if key != "sender_id"}
    return {
        "sender_id": sender[:255],
        "type_name": kind[:255],
        "timestamp": float(stamp) if isinstance(stamp, int | float) else None,
        "intent_name": intent.get("name") if isinstance(intent, dict) else None,
        "action_name": event.get("name") if kind == "action" else None,
        "data": json.dumps(data),
    }


def _fingerprint(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def prepare_log(engine: Engine) -> None:
    """Creates the event log's tables where they are missing."""
    tracker_metadata.create_all(engine, tables=[events_table])
    _seen_metadata.create_all(engine)


def store(engine: Engine, bodies: list[bytes]) -> int:
    """Appends the events of ``bodies`` to the log in one transaction; returns how many were
    new (a message delivered twice, or not an event, is skipped)."""
    rows, prints = [], []
    for body in bodies:
        try:
            row = event_row(body)
        except BadEvent as error:
            log.warning("event broker: message skipped (%s)", error)
            continue
        rows.append(row)
        prints.append(_fingerprint(body))
    if not rows:
        return 0
    with engine.begin() as connection:
        known = set(
            connection.scalars(
                select(seen_table.c.fingerprint).where(seen_table.c.fingerprint.in_(prints))
            )
        )
        fresh = [(row, mark) for row, mark in zip(rows, prints, strict=True) if mark not in known]
        unique = list({mark: row for row, mark in fresh}.items())
        if unique:
            connection.execute(insert(events_table), [row for _, row in unique])
            connection.execute(insert(seen_table), [{"fingerprint": mark} for mark, _ in unique])
    return len(unique)


def _bind(channel: Any, queue: str) -> None:
    # As Rasa declares it (aio-pika's defaults), else the broker refuses the second declaration.
    channel.exchange_declare(RASA_EXCHANGE, exchange_type="fanout", durable=False)
    channel.queue_declare(queue, durable=True)
    channel.queue_bind(queue, RASA_EXCHANGE)


def bind_queue(broker_url: str, queue: str) -> None:
    """Declares the consumer's durable queue and binds it to Rasa's exchange, so that events
    published from now on wait in it even before the consumer first runs."""
    import pika  # type: ignore[import-untyped]

    connection = pika.BlockingConnection(pika.URLParameters(broker_url))
    try:
        _bind(connection.channel(), queue)
    finally:
        connection.close()


@dataclass
class ConsumeReport:
    """What a consumer run did."""

    received: int = 0
    stored: int = 0
    batches: int = 0


def consume(
    broker_url: str,
    queue: str,
    engine: Engine,
    *,
    idle_seconds: float | None = None,
    batch: int = BATCH,
    after_batch: Callable[[int], None] | None = None,
) -> ConsumeReport:
    """Reads the queue into the event log until ``idle_seconds`` pass without a message (never,
    when ``None``). ``after_batch`` runs after each committed batch with its count of new events
    (e.g. to update the analytics).

    Raises:
        pika.exceptions.AMQPError: The broker cannot be reached or refuses the queue.
    """
    import pika

    prepare_log(engine)
    report = ConsumeReport()
    connection = pika.BlockingConnection(pika.URLParameters(broker_url))
    try:
        channel = connection.channel()
        _bind(channel, queue)
        channel.basic_qos(prefetch_count=batch)
        pending: list[bytes] = []
        last_tag = 0

        def flush() -> None:
            nonlocal pending
            if not pending:
                return
            new = store(engine, pending)
            channel.basic_ack(delivery_tag=last_tag, multiple=True)
            report.stored += new
            report.batches += 1
            pending = []
            if after_batch is not None:
                after_batch(new)

        wait = 1.0 if idle_seconds is None else min(1.0, idle_seconds)
        quiet = 0.0
        for method, _properties, body in channel.consume(queue, inactivity_timeout=wait):
            if method is None:
                flush()
                quiet += wait
                if idle_seconds is not None and quiet >= idle_seconds:
                    break
                continue
            quiet = 0.0
            report.received += 1
            pending.append(body)
            last_tag = method.delivery_tag
            if len(pending) >= batch:
                flush()
        flush()
        channel.cancel()
    finally:
        connection.close()
    return report
