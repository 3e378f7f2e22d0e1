"""Talking to the real servers over Rasa's REST channel (the servers are session fixtures in
tests/conftest.py, shared with the browser tests)."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
import requests

from devtools.servers import Server

Talk = Callable[[str], list[dict]]


def new_shopper(url: str, prefix: str = "test", timeout: float = 60) -> Talk:
    """Sends messages as one new shopper over the REST channel of the Rasa server at ``url``;
    returns the bot's messages (the sender id is the function's ``sender``)."""
    sender = f"{prefix}-{uuid.uuid4().hex[:12]}"

    def send(message: str) -> list[dict]:
        answer = requests.post(
            f"{url}/webhooks/rest/webhook",
            json={"sender": sender, "message": message},
            timeout=timeout,
        )
        assert answer.status_code == 200, answer.text
        return answer.json()

    send.sender = sender  # type: ignore[attr-defined]
    return send


@pytest.fixture()
def talk(rasa_server: Server) -> Talk:
    """Sends messages as one new shopper over the REST channel; returns the bot's messages."""
    return new_shopper(rasa_server.url)


def texts(messages: list[dict]) -> str:
    """All texts of the bot's messages, joined (lower case) for assertions."""
    return "\n".join(m.get("text") or "" for m in messages).lower()
