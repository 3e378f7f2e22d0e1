"""Insights benchmark: the analytics over a large tracker store.

Writes ``--conversations`` synthetic conversations (web chat, Telegram and WhatsApp; greetings,
knowledge answers generated, from passages or refused, fallbacks with "did you mean", order
tracking and cancelling, upset shoppers handed over; spread over 90 days) into a fresh SQLite
tracker store with Rasa's ``events`` table, with ratings and handoff rows for some of them in a
fresh app database, all in a temporary folder. Then measures:

- **rebuild**: ``rebuild_insights`` over every event (target: at most 5 minutes for 100,000);
- **incremental**: ``--new`` more conversations written, then ``update_insights`` (target: at
  most 10 s for 1,000);
- **dashboard API**: ``GET /api/console/insights`` as a signed-in admin, ``--requests`` times
  with different date ranges, channels and day/week (target: p95 at most 300 ms).

Prints the figures. Run on an otherwise idle machine:

    .venv/bin/python benchmarks/insights.py --conversations 100000 --new 1000
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, insert

from bot.appdata import get_app_engine, upgrade_app_database
from bot.appdata.models import ConversationRating
from bot.handoff.models import Conversation, Role
from bot.insights.refresh import rebuild_insights, update_insights
from bot.insights.tracker_events import events_table, tracker_metadata
from bot.web.app import create_app
from devtools.console import add_agent, sign_in
from devtools.servers import free_port

CHANNELS = [("socketio", 0.7), ("telegram", 0.2), ("whatsapp", 0.1)]
FIRST_DAY = datetime(2026, 9, 1, tzinfo=UTC)
DAYS = 90
QUESTIONS = [
    ("what is your return policy", "check_refund_policy", None),
    ("how long does delivery to germany take", "delivery_period", None),
    ("is the linen apron machine washable", "product_question", "linen apron"),
    ("does the oak chopping board need oil", "product_question", "oak chopping board"),
    ("which payment methods do you take", "check_payment_methods", None),
    ("do you ship to japan", "delivery_options", None),
]
ANGRY = ["this is ridiculous, my parcel is late again", "terrible service, I am very angry"]
CALM = ["hi there", "hello", "thanks, that helps", "great, thank you"]


def _user(text: str, intent: str, channel: str, product: str | None = None) -> dict[str, Any]:
    entities = [{"entity": "product", "value": product}] if product else []
    return {
        "event": "user",
        "text": text,
        "input_channel": channel,
        "parse_data": {"intent": {"name": intent, "confidence": 0.9}, "entities": entities},
    }


def _answer(kind: str) -> dict[str, Any]:
    if kind == "refused":
        return {"event": "bot", "text": "I'm sorry, I don't know that."}
    made = {"grounded": True, "fallback": kind == "passage", "generated": True, "too_slow": False}
    card = {"type": "sources", "sources": [{"id": "p", "title": "T", "url": None}], "answer": made}
    return {"event": "bot", "text": "Here is what I found.", "data": {"custom": {"data": card}}}


def conversation(rng: random.Random, channel: str) -> list[dict[str, Any]]:
    """The events of one synthetic conversation."""
    events: list[dict[str, Any]] = [
        {"event": "action", "name": "action_session_start"},
        {"event": "session_started"},
        _user(rng.choice(CALM), "greet", channel),
        {"event": "action", "name": "utter_greet"},
        {"event": "bot", "text": "Hello! How can I help?"},
        {"event": "action", "name": "action_listen"},
    ]
    for _ in range(rng.randint(1, 3)):
        roll = rng.random()
        if roll < 0.55:
            text, intent, product = rng.choice(QUESTIONS)
            kind = rng.choices(["generated", "passage", "refused"], [0.6, 0.3, 0.1])[0]
            events += [
                _user(text, intent, channel, product),
                {"event": "action", "name": "action_answer_knowledge"},
                _answer(kind),
            ]
        elif roll < 0.75:
            task = rng.choice(["track_order", "cancel_order", "return_item"])
            events += [
                _user(f"/{task}", task, channel),
                {"event": "action", "name": "action_set_order_task"},
                {"event": "slot", "name": "order_task", "value": task},
                {"event": "action", "name": "action_run_order_task"},
                {"event": "bot", "text": "Done."},
            ]
        else:
            events += [
                _user("asdf " + str(rng.randint(0, 50)), "nlu_fallback", channel),
                {"event": "action", "name": "action_default_ask_affirmation"},
                {"event": "bot", "text": "Did you mean: track an order?"},
            ]
        events.append({"event": "action", "name": "action_listen"})
    if rng.random() < 0.08:
        events += [
            _user(rng.choice(ANGRY), "complaint", channel),
            {"event": "action", "name": "action_handoff"},
            {"event": "bot", "text": "I'm handing you to a colleague."},
            {"event": "pause"},
        ]
    return events


def write_conversations(
    tracker: Engine, app: Engine, count: int, first: int, rng: random.Random
) -> int:
    """Writes ``count`` conversations (ids from ``first``) and their ratings and handoffs;
    returns the number of events written."""
    names, weights = zip(*CHANNELS, strict=True)
    rows: list[dict[str, Any]] = []
    ratings: list[dict[str, Any]] = []
    handoffs: list[dict[str, Any]] = []
    for number in range(first, first + count):
        sender = f"bench-{number:07d}"
        channel = rng.choices(names, weights)[0]
        start = FIRST_DAY + timedelta(seconds=rng.randrange(DAYS * 86400))
        events = conversation(rng, channel)
        for i, event in enumerate(events):
            stamp = (start + timedelta(seconds=5 * i)).timestamp()
            rows.append(
                {
                    "sender_id": sender,
                    "type_name": event["event"],
                    "timestamp": stamp,
                    "intent_name": None,
                    "action_name": event.get("name"),
                    "data": json.dumps({**event, "timestamp": stamp}),
                }
            )
        if events[-1]["event"] == "pause":
            handoffs.append(
                {
                    "session_id": sender,
                    "channel": channel,
                    "status": "resolved",
                    "priority": 3,
                    "reason": "negative_sentiment",
                    "created_at": start,
                    "updated_at": start,
                    "first_response_at": (start + timedelta(seconds=rng.randint(20, 600))),
                    "resolved_at": (start + timedelta(seconds=rng.randint(600, 3600))),
                    "handoffs": 1,
                    "synced_until": 0.0,
                }
            )
        if rng.random() < 0.1:
            at = start + timedelta(minutes=5)
            ratings.append(
                {
                    "session_id": sender,
                    "stars": rng.choices([1, 2, 3, 4, 5], [1, 1, 2, 4, 6])[0],
                    "comment": rng.choice([None, "quick", "slow", "helpful"]),
                    "created_at": at,
                    "updated_at": at,
                }
            )
    with tracker.begin() as connection:
        for start_row in range(0, len(rows), 50_000):
            connection.execute(insert(events_table), rows[start_row : start_row + 50_000])
    with app.begin() as connection:
        if handoffs:
            connection.execute(insert(Conversation.__table__), handoffs)
        if ratings:
            connection.execute(insert(ConversationRating.__table__), ratings)
    return len(rows)


def dashboard_timings(app_url: str, tracker_url: str, requests: int) -> list[float]:
    """Seconds per ``GET /api/console/insights`` with varied filters, as a signed-in admin."""
    add_agent(app_url, "bench.admin@fernhill.example", "Bench", Role.ADMIN)
    app = create_app(f"http://127.0.0.1:{free_port()}", app_url)
    app.state.insights.tracker_url = tracker_url
    rng = random.Random(7)
    timings = []
    with TestClient(app) as client:
        sign_in(client, "bench.admin@fernhill.example")
        for _ in range(requests):
            since = FIRST_DAY.date() + timedelta(days=rng.randrange(DAYS // 2))
            params: dict[str, str] = {"granularity": rng.choice(["day", "week"])}
            if rng.random() < 0.7:
                params["since"] = since.isoformat()
                params["until"] = (since + timedelta(days=rng.randrange(7, 45))).isoformat()
            if rng.random() < 0.5:
                params["channel"] = rng.choice(["socketio", "telegram", "whatsapp"])
            began = time.perf_counter()
            answer = client.get("/api/console/insights", params=params)
            timings.append(time.perf_counter() - began)
            assert answer.status_code == 200, answer.text
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--new", type=int, default=1_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--seed", type=int, default=19)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="insights-bench-") as folder:
        tracker_url = f"sqlite:///{Path(folder) / 'tracker.db'}"
        app_url = f"sqlite:///{Path(folder) / 'app.db'}"
        tracker = create_engine(tracker_url)
        tracker_metadata.create_all(tracker)
        app = get_app_engine(app_url)
        upgrade_app_database(app)
        began = time.perf_counter()
        events = write_conversations(tracker, app, args.conversations, 0, rng)
        print(
            f"wrote {args.conversations} conversations ({events} events) in "
            f"{time.perf_counter() - began:.1f} s"
        )
        rebuilt = rebuild_insights(app, tracker)
        print(f"rebuild: {rebuilt.events} events, {rebuilt.seconds:.1f} s (target <= 300 s)")
        more = write_conversations(tracker, app, args.new, args.conversations, rng)
        updated = update_insights(app, tracker)
        print(
            f"incremental: {args.new} new conversations ({more} events), {updated.seconds:.2f} s "
            "(target <= 10 s)"
        )
        timings = sorted(dashboard_timings(app_url, tracker_url, args.requests))
        p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
        print(
            f"dashboard API: {len(timings)} requests, median {1000 * statistics.median(timings):.0f}"
            f" ms, p95 {1000 * p95:.0f} ms, max {1000 * timings[-1]:.0f} ms (target p95 <= 300 ms)"
        )
        print(f"on {date.today().isoformat()}")


if __name__ == "__main__":
    main()
