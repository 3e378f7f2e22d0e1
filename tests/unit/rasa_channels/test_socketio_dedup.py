"""The socket.io channel hands each client message id to Rasa once (Rasa side; run with
.venv-rasa, which has no pytest-asyncio: each test runs its coroutine with asyncio.run).

    PYTHONPATH=. .venv-rasa/bin/python -m pytest -q tests/unit/rasa_channels
"""

import asyncio

import pytest

pytest.importorskip("rasa", reason="Rasa-side test: run with .venv-rasa/bin/python")

from rasa_channels.socketio_dedup import DeduplicatingSocketIOInput, RecentMessages

pytestmark = pytest.mark.unit


def _handler(received: list, delay: float = 0.0):
    channel = DeduplicatingSocketIOInput(session_persistence=True)

    async def on_new_message(message):
        received.append((message.sender_id, message.text))
        await asyncio.sleep(delay)

    channel.blueprint(on_new_message)
    return channel.sio.handlers["/"]["user_uttered"]


def _data(text: str, client_id: str | None, session: str = "s1") -> dict:
    metadata = {"client_message_id": client_id} if client_id else {}
    return {"message": text, "session_id": session, "metadata": metadata}


def test_a_repeated_client_message_id_reaches_rasa_once():
    async def scenario():
        received: list = []
        handle = _handler(received)
        await handle("sid-1", _data("where is my order", "m1"))
        await handle("sid-2", _data("where is my order", "m1"))  # re-sent after a reconnect
        await handle("sid-2", _data("thanks", "m2"))
        assert received == [("s1", "where is my order"), ("s1", "thanks")]

    asyncio.run(scenario())


def test_ids_are_per_conversation_and_messages_without_id_always_pass():
    async def scenario():
        received: list = []
        handle = _handler(received)
        await handle("a", _data("hi", "m1", session="s1"))
        await handle("b", _data("hi", "m1", session="s2"))
        await handle("a", _data("hello", None))
        await handle("a", _data("hello", None))
        assert received == [("s1", "hi"), ("s2", "hi"), ("s1", "hello"), ("s1", "hello")]

    asyncio.run(scenario())


def test_a_repeat_is_acknowledged_only_after_the_first_copy_was_handled():
    async def scenario():
        received: list = []
        handle = _handler(received, delay=0.3)
        first = asyncio.create_task(handle("a", _data("cancel my order", "m9")))
        await asyncio.sleep(0.05)
        repeat = asyncio.create_task(handle("b", _data("cancel my order", "m9")))
        await asyncio.sleep(0.1)
        assert not repeat.done()  # still waiting for the first copy
        await asyncio.gather(first, repeat)
        assert received == [("s1", "cancel my order")]

    asyncio.run(scenario())


def test_recent_messages_forget_the_oldest_beyond_capacity():
    async def scenario():
        recent = RecentMessages(capacity=2)
        assert recent.first_time("a")[0] and recent.first_time("b")[0] and recent.first_time("c")[0]
        assert recent.first_time("a")[0]  # forgotten, so new again
        assert not recent.first_time("c")[0]
        with pytest.raises(ValueError, match="capacity must be at least 1"):
            RecentMessages(capacity=0)

    asyncio.run(scenario())
