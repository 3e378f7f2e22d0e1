"""Fixtures that run the real servers: a seeded SQLite shop, the action server and Rasa."""

from __future__ import annotations

import secrets
import subprocess
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests

from bot.commerce import get_engine, seed_database
from tests.integration.servers import ROOT, Server, start_action_server, start_rasa_server

from tests.utils.demo import DemoOrder, demo_orders

Talk = Callable[[str], list[dict]]


@pytest.fixture(scope="session")
def trained_model() -> Path:
    """The trained Rasa model (scripts/train.sh trains only if data or config changed)."""
    subprocess.run(["bash", "scripts/train.sh"], cwd=ROOT, check=True)
    return ROOT / "models" / "fernhill.tar.gz"


@pytest.fixture(scope="session")
def shop_database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A freshly seeded SQLite shop database for this test session."""
    url = f"sqlite:///{tmp_path_factory.mktemp('shop') / 'shop.db'}"
    engine = get_engine(url)
    seed_database(engine)
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def demo(shop_database_url: str) -> dict[str, DemoOrder]:
    """One order (id, e-mail) per status from the seeded shop."""
    return demo_orders(shop_database_url)


@pytest.fixture(scope="session")
def action_server(tmp_path_factory: pytest.TempPathFactory, shop_database_url: str) -> Iterator[Server]:
    server = start_action_server(tmp_path_factory.mktemp("actions"), shop_database_url)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def rasa_token() -> str:
    return secrets.token_urlsafe(16)


@pytest.fixture(scope="session")
def rasa_server(
    tmp_path_factory: pytest.TempPathFactory, trained_model: Path, action_server: Server,
    rasa_token: str,
) -> Iterator[Server]:
    server = start_rasa_server(tmp_path_factory.mktemp("rasa"), action_server.url, rasa_token)
    yield server
    server.stop()


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
