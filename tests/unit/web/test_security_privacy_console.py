"""The console's data-protection API: only admins export or erase a shopper's data."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select

from bot.handoff.models import Role
from bot.insights.tracker_events import events_table, tracker_metadata
from bot.settings import get_settings
from bot.web.app import create_app
from devtools.console import add_agent, queue_conversation, sign_in
from devtools.servers import free_port

pytestmark = pytest.mark.unit

EMAIL = "kees@example.nl"


@pytest.fixture()
def console(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[TestClient, str]]:
    tracker_url = f"sqlite:///{tmp_path / 'tracker.db'}"
    monkeypatch.setenv("FERNHILL_TRACKER_STORE_URL", tracker_url)
    get_settings.cache_clear()
    tracker = create_engine(tracker_url)
    tracker_metadata.create_all(tracker)
    with tracker.begin() as connection:
        for sender, value in (("kees-1", EMAIL), ("other-1", "x@example.nl")):
            data = {"event": "slot", "name": "email", "value": value}
            connection.execute(
                events_table.insert().values(
                    sender_id=sender, type_name="slot", timestamp=1.0, data=json.dumps(data)
                )
            )
    app_url = f"sqlite:///{tmp_path / 'app.db'}"
    app = create_app(f"http://127.0.0.1:{free_port()}", app_url)
    with TestClient(app) as client:
        queue_conversation(app_url, "kees-2", email=EMAIL)
        add_agent(app_url, "admin@fernhill.example", "Ada", Role.ADMIN)
        add_agent(app_url, "agent@fernhill.example", "Bo")
        yield client, tracker_url
    get_settings.cache_clear()


def senders(tracker_url: str) -> set[str]:
    with create_engine(tracker_url).connect() as connection:
        return set(connection.scalars(select(events_table.c.sender_id)))


def test_an_admin_exports_and_erases_a_shoppers_data(console):
    client, tracker_url = console
    sign_in(client, "admin@fernhill.example")
    exported = client.get("/api/console/privacy/export", params={"email": EMAIL})
    assert exported.status_code == 200, exported.text
    assert exported.json()["conversations"] == ["kees-1", "kees-2"]
    assert "attachment" in exported.headers["content-disposition"]
    erased = client.post("/api/console/privacy/erase", json={"email": EMAIL, "confirm": True})
    assert erased.status_code == 200, erased.text
    assert erased.json()["rows"]["tracker_events"] == 1
    assert erased.json()["rows"]["conversations"] == 1
    assert senders(tracker_url) == {"other-1"}
    again = client.get("/api/console/privacy/export", params={"email": EMAIL})
    assert again.status_code == 404 and "Nothing is stored" in again.json()["detail"]


def test_requests_are_refused_with_a_reason(console):
    client, _ = console
    assert client.get("/api/console/privacy/export", params={"email": EMAIL}).status_code == 401
    sign_in(client, "agent@fernhill.example")
    assert client.get("/api/console/privacy/export", params={"email": EMAIL}).status_code == 403
    client.post("/api/console/logout")
    sign_in(client, "admin@fernhill.example")
    unconfirmed = client.post("/api/console/privacy/erase", json={"email": EMAIL, "confirm": False})
    assert unconfirmed.status_code == 422 and "cannot be undone" in unconfirmed.json()["detail"]
    nobody = client.get("/api/console/privacy/export")
    assert nobody.status_code == 422 and "e-mail address or a conversation id" in nobody.text
    del client.headers["X-CSRF-Token"]
    no_csrf = client.post("/api/console/privacy/erase", json={"email": EMAIL, "confirm": True})
    assert no_csrf.status_code == 403


def test_the_page_is_served_with_the_consoles_policy(console):
    client, _ = console
    page = client.get("/console/privacy")
    assert page.status_code == 200 and "privacy.js" in page.text
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
