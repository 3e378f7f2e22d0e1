"""The socket.io channel of several Rasa replicas shares the message ids it has seen through the
local Redis (Rasa side; run with .venv-rasa, each test runs its coroutine with asyncio.run).

    PYTHONPATH=. .venv-rasa/bin/python -m pytest -q tests/unit/rasa_channels
"""

import asyncio
import uuid

import pytest

pytest.importorskip("rasa", reason="Rasa-side test: run with .venv-rasa/bin/python")

import redis

from rasa_channels.socketio_dedup import SHARED_URL_SETTING, DeduplicatingSocketIOInput

REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture()
def shared(monkeypatch):
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.ConnectionError as error:
        pytest.skip(f"Redis is not running on 127.0.0.1:6379: {error}")
    monkeypatch.setenv(SHARED_URL_SETTING, REDIS_URL)


def _replica(received: list, delay: float = 0.0):
    channel = DeduplicatingSocketIOInput(session_persistence=True)

    async def on_new_message(message):
        received.append((message.sender_id, message.text))
        await asyncio.sleep(delay)

    channel.blueprint(on_new_message)
    assert type(channel.sio.manager).__name__ == "AsyncRedisManager"
    return channel.sio.handlers["/"]["user_uttered"]


def _data(text: str, client_id: str, session: str) -> dict:
    return {"message": text, "session_id": session, "metadata": {"client_message_id": client_id}}


def test_a_repeat_reaching_another_replica_is_dropped_after_the_first_copy_is_handled(shared):
    async def scenario():
        received: list = []
        replica_a, replica_b = _replica(received, delay=0.3), _replica(received, delay=0.3)
        session = f"s-{uuid.uuid4().hex}"
        first = asyncio.create_task(replica_a("a", _data("cancel my order", "m1", session)))
        await asyncio.sleep(0.05)
        repeat = asyncio.create_task(replica_b("b", _data("cancel my order", "m1", session)))
        await asyncio.sleep(0.1)
        assert not repeat.done()  # waits for replica a to finish the first copy
        await asyncio.gather(first, repeat)
        await replica_b("b", _data("thanks", "m2", session))
        assert received == [(session, "cancel my order"), (session, "thanks")]

    asyncio.run(scenario())
