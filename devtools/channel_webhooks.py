"""What the messaging-app channel tests share: one stand-in of the platforms' APIs and one Rasa
server per test module, the platforms' documented payloads (``tests/fixtures/channels/``),
signed deliveries, and the API calls a delivery caused."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from bot.channels.signatures import meta_signature
from devtools.platform_standin import ApiRequest, ChannelRasa, PlatformStandIn
from devtools.servers import ROOT, Server

FIXTURES = ROOT / "tests" / "fixtures" / "channels"
SITE_URL = "https://shop.example"
SIGN = "sign"  # sign the delivery with the right secret (see meta_post)


def stand_in_fixture() -> Any:
    """A module-scoped fixture: the stand-in of the platforms' APIs on 127.0.0.1."""

    @pytest.fixture(scope="module")
    def stand_in() -> Iterator[PlatformStandIn]:
        server = PlatformStandIn()
        yield server
        server.close()

    return stand_in


def channel_rasa_fixture(
    channel: str, settings: Callable[[PlatformStandIn], dict[str, str]]
) -> Any:
    """A module-scoped fixture: Rasa with the project's credentials.yml, the real action server
    and ``channel``'s settings (``settings(stand_in)``, pointed at the stand-in)."""

    @pytest.fixture(scope="module")
    def rasa(
        tmp_path_factory: pytest.TempPathFactory,
        trained_model: Path,
        action_server: Server,
        rasa_token: str,
        stand_in: PlatformStandIn,
    ) -> Iterator[ChannelRasa]:
        env = {**settings(stand_in), "FERNHILL_SITE_URL": SITE_URL}
        tmp = tmp_path_factory.mktemp(f"rasa-{channel}")
        server = ChannelRasa(tmp, action_server.url, rasa_token, env)
        yield server
        server.stop()

    return rasa


def payload(channel: str, name: str) -> dict[str, Any]:
    """A fresh copy of the documented payload ``tests/fixtures/channels/<channel>/<name>.json``."""
    data: dict[str, Any] = json.loads((FIXTURES / channel / f"{name}.json").read_text())
    return copy.deepcopy(data)


def meta_post(
    rasa: ChannelRasa,
    channel: str,
    app_secret: str,
    data: dict[str, Any],
    signature: str | None = SIGN,
) -> requests.Response:
    """Posts a Meta delivery (WhatsApp, Messenger) to ``channel``'s webhook, signed with
    ``app_secret`` (``signature``: :data:`SIGN`, None for no header, or the header's value)."""
    body = json.dumps(data).encode()
    headers = {"Content-Type": "application/json"}
    if signature == SIGN:
        headers["X-Hub-Signature-256"] = meta_signature(app_secret, body)
    elif signature is not None:
        headers["X-Hub-Signature-256"] = signature
    return requests.post(
        f"{rasa.url}/webhooks/{channel}/webhook", data=body, headers=headers, timeout=120
    )


def calls_of(
    stand_in: PlatformStandIn, deliver: Callable[[], requests.Response]
) -> list[ApiRequest]:
    """The API calls made while ``deliver()`` was handled (its answer must be 200)."""
    start = len(stand_in.requests)
    answer = deliver()
    assert answer.status_code == 200, answer.text
    return stand_in.since(start)
