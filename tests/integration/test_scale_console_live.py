"""The console's live updates across web app replicas on the local PostgreSQL: an event published
by one replica reaches the browsers of another, one replica polls Rasa, an oversized event still
tells the pages what changed."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from bot.handoff.live import Hub
from bot.messages import conversation_event, queue_event
from devtools.postgres import postgres_schema

pytestmark = pytest.mark.integration


@pytest.fixture()
def postgres_url() -> Iterator[str]:
    with postgres_schema("live") as url:
        yield url


async def next_event(queue: asyncio.Queue, seconds: float = 5.0) -> dict:
    return dict(await asyncio.wait_for(queue.get(), seconds))


async def test_an_event_published_on_one_replica_reaches_the_browsers_of_both(postgres_url):
    replica_a, replica_b = Hub.for_database(postgres_url), Hub.for_database(postgres_url)
    try:
        assert replica_a.shared and replica_b.shared
        browser_a, browser_b = replica_a.subscribe(), replica_b.subscribe()
        replica_a.publish(conversation_event(7))
        assert await next_event(browser_b) == {"type": "conversation", "conversation_id": 7}
        assert await next_event(browser_a) == {"type": "conversation", "conversation_id": 7}
        replica_b.publish(queue_event())
        assert await next_event(browser_a) == {"type": "queue"}
        assert await next_event(browser_b) == {"type": "queue"}
        assert browser_a.empty() and browser_b.empty()
    finally:
        replica_a.close()
        replica_b.close()


async def test_a_message_too_large_to_notify_becomes_a_conversation_change(postgres_url):
    replica_a, replica_b = Hub.for_database(postgres_url), Hub.for_database(postgres_url)
    try:
        browser_b = replica_b.subscribe()
        line = {"id": 1, "sender": "user", "text": "x" * 9000}
        replica_a.publish({"type": "message", "conversation_id": 3, "message": line})  # type: ignore[typeddict-item]
        assert await next_event(browser_b) == {"type": "conversation", "conversation_id": 3}
        small = {"id": 2, "sender": "user", "text": "hello"}
        replica_a.publish({"type": "message", "conversation_id": 3, "message": small})  # type: ignore[typeddict-item]
        assert (await next_event(browser_b))["message"]["text"] == "hello"
    finally:
        replica_a.close()
        replica_b.close()


def test_one_replica_polls_rasa_and_another_takes_over_when_it_stops(postgres_url):
    replica_a, replica_b = Hub.for_database(postgres_url), Hub.for_database(postgres_url)
    try:
        assert replica_a.leads_polling()
        assert replica_a.leads_polling()  # asking again keeps the lead, once
        assert not replica_b.leads_polling()
        replica_a.close()
        assert replica_b.leads_polling()
        assert not replica_a.leads_polling()  # a closed hub may ask again: b holds it now
    finally:
        replica_a.close()
        replica_b.close()


def test_on_sqlite_the_hub_stays_in_process():
    hub = Hub.for_database("sqlite:///var/app.db")
    assert not hub.shared and hub.leads_polling()
