"""The console on PostgreSQL (the local server, database ``test``, a schema of its own): the same
tables, queue order, notes, search and rating link as on SQLite."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from bot.appdata import get_app_engine, get_app_sessionmaker, save_rating
from bot.handoff.queue import Reason
from bot.web.app import create_app
from devtools.console import add_agent, queue_conversation, sign_in
from devtools.postgres import postgres_schema
from devtools.servers import free_port

pytestmark = pytest.mark.integration


@pytest.fixture()
def postgres_url() -> Iterator[str]:
    with postgres_schema("console") as url:
        yield url


def test_the_console_works_on_postgresql(postgres_url):
    app = create_app(f"http://127.0.0.1:{free_port()}", postgres_url)
    with TestClient(app) as client:
        add_agent(postgres_url, "ann@fernhill.example", "Ann")
        sign_in(client, "ann@fernhill.example")
        queue_conversation(postgres_url, "pg-calm", minutes_ago=5)
        upset = queue_conversation(postgres_url, "pg-upset", Reason.NEGATIVE_SENTIMENT)
        with get_app_sessionmaker(get_app_engine(postgres_url))() as session, session.begin():
            save_rating(session, "pg-upset", 2, None)
        queue = client.get("/api/console/conversations").json()
        assert [c["session_id"] for c in queue] == ["pg-upset", "pg-calm"]
        assert queue[0]["rating"] == {"stars": 2, "comment": None}
        note = client.post(
            f"/api/console/conversations/{upset}/notes", json={"text": "Refund 100%_ok"}
        )
        assert note.status_code == 201
        found = client.get("/api/console/conversations/search", params={"q": "100%_OK"}).json()
        assert [c["id"] for c in found] == [upset]
        assert client.get("/api/console/conversations/search", params={"q": "100x"}).json() == []
