"""Talking to the real servers over Rasa's REST channel (the servers are session fixtures in
tests/conftest.py, shared with the browser tests)."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
import requests

from devtools.servers import Server

Talk = Callable[[str], list[dict]]


@pytest.fixture()
def talk(rasa_server: Server) -> Talk:
    """Sends messages as one new shopper over the REST channel; returns the bot's messages."""
    sender = f"test-{uuid.uuid4().hex[:12]}"

    def send(message: str) -> list[dict]:
        answer = requests.post(
            f"{rasa_server.url}/webhooks/rest/webhook",
            json={"sender": sender, "message": message},
            timeout=60,
        )
        assert answer.status_code == 200, answer.text
        return answer.json()

    send.sender = sender  # type: ignore[attr-defined]
    return send


def texts(messages: list[dict]) -> str:
    """All texts of the bot's messages, joined (lower case) for assertions."""
    return "\n".join(m.get("text") or "" for m in messages).lower()
