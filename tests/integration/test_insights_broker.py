"""Rasa's events through the local RabbitMQ into the analytics: Rasa's own pika event broker
(run in the Rasa environment) publishes two conversations, the consumer reads its own queue into
the event log, and the update folds them like tracker-store events. A message published twice
is stored once; one that is not an event is skipped."""

from __future__ import annotations

import json
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pika
import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from bot.appdata import get_app_engine
from bot.insights.broker import RASA_EXCHANGE, bind_queue, consume, events_table
from bot.insights.filters import InsightFilter
from bot.insights.refresh import update_insights
from bot.insights.report import build_report
from devtools.servers import ROOT

pytestmark = pytest.mark.integration
BROKER = "amqp://guest:guest@127.0.0.1:5672/%2F"
# Runs in .venv-rasa: Rasa's PikaEventBroker publishes the events as the tracker store does.
PUBLISH = """
import asyncio, sys
from rasa.core.brokers.pika import PikaEventBroker
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered

async def main(a, b, own):
    broker = PikaEventBroker("127.0.0.1", "guest", "guest", queues=[own], raise_on_failure=True)
    await broker.connect()
    conversations = {
        a: [UserUttered("where is my order", {"name": "track_order", "confidence": 0.9},
                        input_channel="socketio"),
            ActionExecuted("utter_ask_order_id"), BotUttered("What is your order number?")],
        b: [UserUttered("hello", {"name": "greet", "confidence": 0.9}, input_channel="rest"),
            BotUttered("Hi!"), UserUttered("thanks", {"name": "thank", "confidence": 0.8},
                                           input_channel="rest")],
    }
    for sender, events in conversations.items():
        for event in events:
            broker.publish({"sender_id": sender, **event.as_dict()})
    await asyncio.sleep(1)
    await broker.close()

asyncio.run(main(*sys.argv[1:4]))
"""


def rasa_available() -> bool:
    try:
        pika.BlockingConnection(pika.URLParameters(BROKER)).close()
    except pika.exceptions.AMQPError:
        return False
    return (ROOT / ".venv-rasa" / "bin" / "python").exists()


@pytest.fixture()
def queue() -> Iterator[str]:
    if not rasa_available():
        pytest.skip("RabbitMQ does not answer on 127.0.0.1:5672")
    name = f"fernhill_insights_test_{uuid.uuid4().hex[:8]}"
    bind_queue(BROKER, name)
    yield name
    connection = pika.BlockingConnection(pika.URLParameters(BROKER))
    for leftover in (name, f"{name}_rasa"):  # ours, and the one Rasa's broker publishes to
        connection.channel().queue_delete(leftover)
    connection.close()


def test_events_from_rasas_broker_reach_the_analytics(queue: str, tmp_path: Path):
    a, b = f"broker-{uuid.uuid4().hex[:8]}", f"broker-{uuid.uuid4().hex[:8]}"
    subprocess.run(
        [str(ROOT / ".venv-rasa" / "bin" / "python"), "-c", PUBLISH, a, b, f"{queue}_rasa"],
        check=True,
        timeout=120,
    )
    connection = pika.BlockingConnection(pika.URLParameters(BROKER))
    channel = connection.channel()
    again = {"sender_id": b, "event": "bot", "text": "Hi again", "timestamp": 1.0}
    for body in (json.dumps(again), json.dumps(again), "not an event", "[1, 2]"):
        channel.basic_publish(RASA_EXCHANGE, "", body.encode())
    connection.close()

    log = create_engine(f"sqlite:///{tmp_path / 'events.db'}")
    done = consume(BROKER, queue, log, idle_seconds=2)
    app = get_app_engine(f"sqlite:///{tmp_path / 'app.db'}")
    folded = update_insights(app, log)
    with Session(app) as session:
        totals = build_report(session, InsightFilter(None, None, None))["totals"]
    with log.connect() as connection:
        kinds = dict(
            connection.execute(
                select(events_table.c.type_name, func.count()).group_by(events_table.c.type_name)
            ).all()
        )

    assert (done.received, done.stored) == (10, 7)  # 6 of Rasa's + 1 of the 2 repeated
    assert kinds == {"user": 3, "bot": 3, "action": 1}
    assert (folded.events, folded.conversations) == (7, 2)
    assert totals["conversations"] == 2
    assert totals["user_messages"] == 3 and totals["messages"] == 6
    assert consume(BROKER, queue, log, idle_seconds=1).received == 0  # all acknowledged
