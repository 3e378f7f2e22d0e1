"""Small factories for the handoff console (tests and the handoff benchmark): agents, signed-in
clients, queued conversations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from bot.appdata import get_app_engine, get_app_sessionmaker, upgrade_app_database
from bot.handoff.agents import create_agent
from bot.handoff.models import Role
from bot.handoff.queue import Reason, enqueue

PASSWORD = "correct horse battery staple"


def add_agent(url: str, email: str, name: str, role: Role = Role.AGENT) -> int:
    """Creates an agent with :data:`PASSWORD`; returns its id."""
    engine = get_app_engine(url)
    upgrade_app_database(engine)
    with get_app_sessionmaker(engine)() as session, session.begin():
        return create_agent(session, email, name, PASSWORD, role).id


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> str:
    """Signs ``client`` in; returns the CSRF token (also set as the client's default header)."""
    answer = client.post("/api/console/login", json={"email": email, "password": password})
    assert answer.status_code == 200, answer.text
    token = answer.json()["csrf_token"]
    client.headers["X-CSRF-Token"] = token
    return token


def queue_conversation(
    url: str,
    session_id: str,
    reason: Reason = Reason.ASKED,
    minutes_ago: int = 0,
    email: str | None = None,
) -> int:
    """Puts a conversation in the queue as the handoff action does; returns its id."""
    engine = get_app_engine(url)
    upgrade_app_database(engine)
    with get_app_sessionmaker(engine)() as session, session.begin():
        queued = enqueue(
            session,
            session_id,
            reason,
            channel="socketio",
            email=email,
            now=datetime.now(UTC) - timedelta(minutes=minutes_ago),
        )
        return queued.conversation_id
