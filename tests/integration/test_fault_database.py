"""The app database and the shop database down for a while (PostgreSQL behind a TCP proxy that
is taken down and brought back): the web app answers 503 with a JSON reason, the action server
answers an order task with a polite "busy, try again in a minute", neither crashes, and both
work again by themselves once the database is back."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml

from bot.commerce import get_engine, seed_database
from bot.commerce.db import dispose_engines
from bot.conversation.order_tasks import SHOP_BUSY
from bot.web.app import DATABASE_DOWN
from devtools.demo import demo_orders
from devtools.postgres import postgres_schema
from devtools.servers import (
    ROOT,
    WEBHOOK_TOKEN,
    Server,
    free_port,
    start_action_server,
    start_web_app,
)
from devtools.tcp_proxy import TcpProxy

pytestmark = pytest.mark.integration

POSTGRES = "127.0.0.1:5432"


@pytest.fixture()
def proxy() -> Iterator[TcpProxy]:
    with TcpProxy(("127.0.0.1", 5432)) as running:
        yield running


def through(proxy: TcpProxy, url: str) -> str:
    """``url`` of the local PostgreSQL, reached through the proxy instead."""
    assert POSTGRES in url
    return url.replace(POSTGRES, f"127.0.0.1:{proxy.port}")


@pytest.fixture()
def app_database(proxy: TcpProxy) -> Iterator[str]:
    with postgres_schema("fault_app") as url:
        yield through(proxy, url)


@pytest.fixture()
def shop_database(proxy: TcpProxy) -> Iterator[tuple[str, str]]:
    """The seeded shop in a schema of its own: (direct URL, URL through the proxy)."""
    with postgres_schema("fault_shop") as url:
        engine = get_engine(url)
        seed_database(engine)
        dispose_engines(url)
        yield url, through(proxy, url)


def rate(server: Server, session_id: str, key: str, stars: int) -> requests.Response:
    return requests.post(
        f"{server.url}/api/conversations/{session_id}/rating",
        headers={"X-Conversation-Key": key},
        json={"stars": stars},
        timeout=30,
    )


def test_web_app_answers_503_while_the_app_database_is_down_then_recovers(
    tmp_path, proxy, app_database
):
    server = start_web_app(
        tmp_path,
        f"http://127.0.0.1:{free_port()}",
        app_database,
        {"FERNHILL_RATING_RATE_LIMIT": "100"},
    )
    try:
        started = requests.post(f"{server.url}/api/conversations", timeout=10)
        assert started.status_code == 201, started.text
        conversation = started.json()
        session_id, key = conversation["session_id"], conversation["key"]
        assert rate(server, session_id, key, 4).status_code == 201

        proxy.down()
        for _ in range(3):  # the pooled connections are gone and new ones are refused
            refused = rate(server, session_id, key, 2)
            assert refused.status_code == 503, refused.text
            assert refused.json() == {"detail": DATABASE_DOWN}
            assert refused.headers["content-type"] == "application/json"
        reading = requests.get(
            f"{server.url}/api/conversations/{session_id}/rating",
            headers={"X-Conversation-Key": key},
            timeout=30,
        )
        assert reading.status_code == 503 and reading.json() == {"detail": DATABASE_DOWN}
        # The app itself stays up: its health check and pages do not need the database.
        assert requests.get(f"{server.url}/health", timeout=10).status_code == 200
        assert server.process.poll() is None

        proxy.up()
        assert rate(server, session_id, key, 5).status_code == 201
        stored = requests.get(
            f"{server.url}/api/conversations/{session_id}/rating",
            headers={"X-Conversation-Key": key},
            timeout=30,
        )
        assert stored.status_code == 200 and stored.json()["stars"] == 5
        assert "Exception in ASGI application" not in server.log.read_text()
    finally:
        server.stop()


def load_domain() -> dict[str, Any]:
    """The domain files merged into one dict, as Rasa sends it to the action server."""
    merged: dict[str, Any] = {}
    for path in sorted((ROOT / "domain").glob("*.yml")):
        for name, value in (yaml.safe_load(path.read_text()) or {}).items():
            if isinstance(value, dict):
                merged.setdefault(name, {}).update(value)
            elif isinstance(value, list):
                merged.setdefault(name, []).extend(value)
    return merged


@pytest.fixture()
def order_actions(tmp_path: Path, shop_database: tuple[str, str]) -> Iterator[Server]:
    """An action server of its own on the proxied shop database (no index, no model: the
    order tasks need neither)."""
    (tmp_path / "index").mkdir()
    settings = {
        "FERNHILL_APP_DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}",
        "FERNHILL_GENERATOR_ENABLED": "false",
        "FERNHILL_ANSWER_MODE": "compose",
    }
    server = start_action_server(
        tmp_path, shop_database[1], tmp_path / "index", settings, wait_ready=False
    )
    yield server
    server.stop()


def call(
    server: Server,
    action: str,
    domain: dict[str, Any],
    slots: dict[str, Any],
    *,
    text: str = "",
    intent: str = "track_order",
    just_set: dict[str, Any] | None = None,
    active_loop: str | None = None,
) -> list[dict[str, Any]]:
    """Runs ``action`` through the action server's /webhook with a tracker as Rasa builds it;
    returns the messages it sends (the call must succeed: a failing action sends nothing)."""
    every = {name: spec.get("initial_value") for name, spec in domain["slots"].items()}
    every.update({"requested_slot": None, **slots, **(just_set or {})})
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.9},
        "entities": [],
        "intent_ranking": [{"name": intent, "confidence": 0.9}],
    }
    events: list[dict[str, Any]] = [{"event": "user", "text": text, "parse_data": latest}]
    events += [{"event": "slot", "name": k, "value": v} for k, v in (just_set or {}).items()]
    tracker = {
        "sender_id": f"fault-{secrets.token_hex(4)}",
        "slots": every,
        "latest_message": latest,
        "events": events,
        "paused": False,
        "followup_action": None,
        "active_loop": {"name": active_loop} if active_loop else {},
        "latest_action_name": "action_listen",
    }
    answer = requests.post(
        f"{server.url}/webhook",
        params={"token": WEBHOOK_TOKEN},
        json={
            "next_action": action,
            "sender_id": tracker["sender_id"],
            "tracker": tracker,
            "domain": domain,
            "version": "3.6.0",
        },
        timeout=60,
    )
    assert answer.status_code == 200, answer.text
    return list(answer.json()["responses"])


def test_order_status_while_the_shop_database_is_down_is_a_polite_busy_reply(
    proxy, shop_database, order_actions
):
    domain = load_domain()
    order = demo_orders(shop_database[0])["shipped"]
    slots = {"order_task": "track_order", "order_id": order.order_id, "email": order.email}

    def track() -> list[dict[str, Any]]:
        return call(order_actions, "action_run_order_task", domain, slots)

    def give_order_number() -> list[dict[str, Any]]:
        return call(
            order_actions,
            "validate_order_form",
            domain,
            {"order_task": "track_order", "requested_slot": "order_id"},
            text=order.order_id,
            just_set={"order_id": order.order_id},
            active_loop="order_form",
        )

    before = track()
    assert order.order_id in before[0]["text"], before

    proxy.down()
    for _ in range(2):  # a pooled connection that broke, then a refused new one
        busy = track()
        assert [m["text"] for m in busy] == [SHOP_BUSY]
    assert [m["text"] for m in give_order_number()] == [SHOP_BUSY]
    assert order_actions.process.poll() is None

    proxy.up()
    after = track()
    assert order.order_id in after[0]["text"], after
    assert give_order_number() == []  # the number is known again: the form asks for the e-mail


def test_the_order_service_starts_while_the_shop_database_is_down_and_seeds_it_once_back(
    monkeypatch, proxy
):
    from bot.commerce import CommerceUnavailable
    from bot.commerce import shared as services
    from bot.settings import get_settings

    with postgres_schema("fault_seed") as url:
        proxied = through(proxy, url)
        monkeypatch.setenv("FERNHILL_DATABASE_URL", proxied)
        monkeypatch.setattr(services, "_service", None)
        get_settings.cache_clear()
        try:
            proxy.down()
            service = services.order_service()  # the action's first call: no exception
            with pytest.raises(CommerceUnavailable):
                service.order_exists("A1001")
            proxy.up()
            assert services.order_service() is service
            order = demo_orders(url)["shipped"]  # created and seeded now
            assert service.order_exists(order.order_id)
        finally:
            get_settings.cache_clear()
            dispose_engines(proxied)
