"""Session fixtures shared by the integration and browser tests: a trained model, a seeded
SQLite shop, the real action server and Rasa server on free ports, and a restartable Rasa with
the messaging apps configured against a stand-in of their APIs (each started once per run, only
when a selected test needs it)."""

from __future__ import annotations

import secrets
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.commerce import get_engine, seed_database
from devtools.channel_webhooks import channels_env
from devtools.demo import DemoOrder, demo_orders
from devtools.platform_standin import ChannelRasa, PlatformStandIn
from devtools.servers import ROOT, Server, start_action_server, start_rasa_server


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
def app_database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The app database (ratings, handoff queue) shared by the action server and the web app."""
    return f"sqlite:///{tmp_path_factory.mktemp('appdata') / 'app.db'}"


@pytest.fixture(scope="session")
def action_server(
    tmp_path_factory: pytest.TempPathFactory, shop_database_url: str, app_database_url: str
) -> Iterator[Server]:
    # Handoffs are queued only while an agent is signed in to the console: the same outcome at
    # any hour of the day (the console's browser test signs one in).
    handoff = {
        "FERNHILL_APP_DATABASE_URL": app_database_url,
        "FERNHILL_HANDOFF_AVAILABILITY": "online",
    }
    server = start_action_server(
        tmp_path_factory.mktemp("actions"), shop_database_url, extra_env=handoff
    )
    yield server
    server.stop()


@pytest.fixture(scope="session")
def rasa_token() -> str:
    return secrets.token_urlsafe(16)


@pytest.fixture(scope="session")
def rasa_server(
    tmp_path_factory: pytest.TempPathFactory,
    trained_model: Path,
    action_server: Server,
    rasa_token: str,
) -> Iterator[Server]:
    server = start_rasa_server(tmp_path_factory.mktemp("rasa"), action_server.url, rasa_token)
    yield server
    server.stop()


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
    """A second Rasa (the first, ``rasa_server``, has an in-memory tracker): the project's
    credentials.yml, the real action server, the four messaging apps configured against the
    stand-in, one port and a SQLite tracker store, so the channel and restart tests can
    restart it."""
    tmp = tmp_path_factory.mktemp("rasa-channels")
    server = ChannelRasa(tmp, action_server.url, rasa_token, channels_env(stand_in), trained_model)
    yield server
    server.stop()
