"""Talking to the real servers over Rasa's REST channel (the servers are session fixtures in
tests/conftest.py, shared with the browser tests)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests

from devtools.channel_webhooks import channels_env
from devtools.platform_standin import ChannelRasa, PlatformStandIn
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


@pytest.fixture(scope="session")
def stand_in() -> Iterator[PlatformStandIn]:
    """The stand-in of the messaging apps' APIs on 127.0.0.1 (tests read the calls made since
    they started: ``stand_in.since(start)``)."""
    server = PlatformStandIn()
    yield server
    server.close()


@pytest.fixture(scope="session")
def rasa(
    tmp_path_factory: pytest.TempPathFactory,
    trained_model: Path,
    action_server: Server,
    rasa_token: str,
    stand_in: PlatformStandIn,
) -> Iterator[ChannelRasa]:
    """Rasa with the project's credentials.yml, the real action server and the four messaging
    apps configured against the stand-in (restartable on the same tracker database)."""
    tmp = tmp_path_factory.mktemp("rasa-channels")
    server = ChannelRasa(tmp, action_server.url, rasa_token, channels_env(stand_in), trained_model)
    yield server
    server.stop()
