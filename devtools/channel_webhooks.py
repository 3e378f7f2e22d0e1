"""What the messaging-app channel tests share: the four apps' settings (one stand-in of the
platforms' APIs and one Rasa server with every app configured serve all the channel tests), the platforms' documented payloads (``tests/fixtures/channels/``),
signed deliveries, the API calls a delivery caused, and the agents' console (the real web app on
the action server's app database) with an agent signed in."""

from __future__ import annotations

import copy
import json
import random
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest
import requests
from fastapi.testclient import TestClient

from bot.appdata import get_app_engine, get_app_sessionmaker
from bot.channels.signatures import meta_signature
from bot.handoff.agents import close_sessions_of
from bot.handoff.models import Conversation
from bot.web.app import create_app
from devtools.console import add_agent, sign_in
from devtools.platform_standin import ApiRequest, ChannelRasa, PlatformStandIn
from devtools.servers import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "channels"
SITE_URL = "https://shop.example"
SIGN = "sign"  # sign the delivery with the right secret (see meta_post)


# The settings of every messaging app the channel tests drive; one Rasa server has them all.
TWILIO_ACCOUNT_SID = "AC" + "0" * 30 + "42"
TWILIO_AUTH_TOKEN = "twilio-auth-token-0123"
TWILIO_NUMBER = "+3197010250000"
TWILIO_PUBLIC_BASE_URL = "https://chat.example.com"
TELEGRAM_TOKEN = "7000000001:AAtest-token"
TELEGRAM_SECRET = "webhook-secret-0123456789"
MESSENGER_PAGE_TOKEN = "EAAtest-page-token"
MESSENGER_APP_SECRET = "messenger-app-secret-0123"
MESSENGER_VERIFY_TOKEN = "verify-messenger-0123"
WHATSAPP_TOKEN = "EAAtest-whatsapp-token"
WHATSAPP_PHONE_NUMBER_ID = "106540352242922"
WHATSAPP_APP_SECRET = "whatsapp-app-secret-0123"
WHATSAPP_VERIFY_TOKEN = "verify-me-0123"


def channels_env(stand_in: PlatformStandIn) -> dict[str, str]:
    """The settings of the four messaging apps, their APIs pointed at ``stand_in``."""
    return {
        "TWILIO_ACCOUNT_SID": TWILIO_ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": TWILIO_AUTH_TOKEN,
        "TWILIO_NUMBER": TWILIO_NUMBER,
        "TWILIO_API_URL": stand_in.url,
        "PUBLIC_BASE_URL": TWILIO_PUBLIC_BASE_URL,
        "TELEGRAM_TOKEN": TELEGRAM_TOKEN,
        "TELEGRAM_WEBHOOK_SECRET": TELEGRAM_SECRET,
        "TELEGRAM_API_URL": stand_in.url,
        "MESSENGER_PAGE_TOKEN": MESSENGER_PAGE_TOKEN,
        "MESSENGER_APP_SECRET": MESSENGER_APP_SECRET,
        "MESSENGER_VERIFY_TOKEN": MESSENGER_VERIFY_TOKEN,
        "MESSENGER_API_URL": f"{stand_in.url}/v19.0",
        "WHATSAPP_TOKEN": WHATSAPP_TOKEN,
        "WHATSAPP_PHONE_NUMBER_ID": WHATSAPP_PHONE_NUMBER_ID,
        "WHATSAPP_APP_SECRET": WHATSAPP_APP_SECRET,
        "WHATSAPP_VERIFY_TOKEN": WHATSAPP_VERIFY_TOKEN,
        "WHATSAPP_API_URL": f"{stand_in.url}/v19.0",
        "FERNHILL_SITE_URL": SITE_URL,
    }


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


def console_fixture() -> Any:
    """A fixture: the agents' console on the action server's app database, with an agent
    signed in (so a shopper's handoff is queued); signed out afterwards, as the other tests
    expect nobody online."""

    @pytest.fixture()
    def console(rasa: ChannelRasa, app_database_url: str) -> Iterator[TestClient]:
        app = create_app(rasa.url, app_database_url, rasa_token=rasa.token)
        email = f"agent-{random.randint(10**6, 10**7)}@fernhill.example"
        agent_id = add_agent(app_database_url, email, "Anna Berg")
        try:
            with TestClient(app) as client:
                sign_in(client, email)
                yield client
        finally:
            sessions = get_app_sessionmaker(get_app_engine(app_database_url))
            with sessions() as session, session.begin():
                close_sessions_of(session, agent_id)

    return console


def queued(console: TestClient, session_id: str, timeout: float = 60.0) -> dict[str, Any]:
    """The console's view of the conversation ``session_id`` once it is in the queue."""
    deadline = time.monotonic() + timeout
    while True:
        rows = console.get("/api/console/conversations", params={"status": "all"}).json()
        found = [r for r in rows if r["session_id"] == session_id]
        if found:
            return dict(found[0])
        if time.monotonic() > deadline:
            raise AssertionError(
                f"{session_id} did not reach the console's queue; it has "
                f"{[(r['session_id'], r['status']) for r in rows]}"
            )
        time.sleep(0.5)


def shopper_last_wrote(app_database_url: str, conversation_id: int, at: datetime) -> None:
    """Moves the time the shopper last wrote (as if the conversation had aged since)."""
    with get_app_sessionmaker(get_app_engine(app_database_url))() as session, session.begin():
        row = session.get(Conversation, conversation_id)
        assert row is not None, f"no conversation {conversation_id}"
        row.last_contact_at = at
        # the shopper's messages so far count as copied: a transcript sync then leaves the time
        row.synced_until = max(row.synced_until or 0.0, time.time())


def agent_reply(console: TestClient, conversation_id: int, text: str) -> requests.Response:
    """An agent's reply sent from the console."""
    answer: requests.Response = console.post(
        f"/api/console/conversations/{conversation_id}/messages", json={"text": text}
    )
    return answer
