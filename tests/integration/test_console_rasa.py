"""The console against the real Rasa and action servers over the REST channel: a handoff queued by
the action, the shopper's paused messages copied by the poller, resolve and snooze."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import requests
from fastapi.testclient import TestClient

from bot.web.app import create_app
from devtools.console import add_agent, sign_in
from devtools.servers import Server
from tests.integration.conftest import texts

pytestmark = pytest.mark.integration


@pytest.fixture()
def console(rasa_server: Server, rasa_token: str, app_database_url: str) -> Iterator[TestClient]:
    """A signed-in agent (so handoffs are queued) in a web app in front of the real Rasa."""
    app = create_app(rasa_server.url, app_database_url, rasa_token=rasa_token)
    with TestClient(app) as client:
        email = f"agent-{time.monotonic_ns()}@fernhill.example"
        add_agent(app_database_url, email, "Joe Visser")
        sign_in(client, email)
        yield client
        client.post("/api/console/logout")  # nobody online again for the other tests


def queued(client: TestClient, sender: str, timeout: float = 10.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for row in client.get("/api/console/conversations?status=all").json():
            if row["session_id"] == sender:
                return row
        time.sleep(0.2)
    raise AssertionError(f"conversation {sender} never reached the console")


def wait_for_text(client: TestClient, cid: int, text: str, timeout: float = 10.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        detail = client.get(f"/api/console/conversations/{cid}").json()
        if any(text in m["text"] for m in detail["messages"]):
            return detail
        time.sleep(0.2)
    raise AssertionError(f"{text!r} never reached the transcript")


def tracker_events(rasa_server: Server, token: str, sender: str) -> list[dict]:
    answer = requests.get(
        f"{rasa_server.url}/conversations/{sender}/tracker", params={"token": token}, timeout=30
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["events"]


def test_paused_messages_reach_the_console_and_resolve_hands_back(
    console, talk, rasa_server, rasa_token
):
    assert "next in line" in texts(talk("I want to talk to a human"))
    row = queued(console, talk.sender)
    assert (row["status"], row["reason"]) == ("open", "asked")
    assert talk("my parcel never arrived, this is so frustrating") == []  # the bot is quiet
    detail = wait_for_text(console, row["id"], "never arrived")
    shopper = [m for m in detail["messages"] if m["sender"] == "contact"]
    assert shopper[-1]["sentiment"] < 0 and shopper[0]["intent"] == "contact_human_agent"
    assert console.post(f"/api/console/conversations/{row['id']}/claim").status_code == 200
    assert console.post(f"/api/console/conversations/{row['id']}/resolve").status_code == 200
    events = tracker_events(rasa_server, rasa_token, talk.sender)
    cards = [
        e["data"]["custom"]["data"]["type"]
        for e in events
        if e["event"] == "bot" and (e.get("data") or {}).get("custom")
    ]
    assert cards == ["agent_joined", "agent_left", "rating_request"]
    assert "resume" in [e["event"] for e in events]
    assert "fernhill goods" in texts(talk("hello"))
    resolved = console.get(f"/api/console/conversations/{row['id']}").json()["conversation"]
    assert resolved["status"] == "resolved" and resolved["resolved_at"]


def test_a_snoozed_conversation_wakes_when_the_shopper_writes(console, talk):
    talk("can I speak to an agent please")
    row = queued(console, talk.sender)
    assert console.post(f"/api/console/conversations/{row['id']}/claim").status_code == 200
    assert (
        console.post(f"/api/console/conversations/{row['id']}/snooze").json()["status"] == "snoozed"
    )
    assert talk("are you still there?") == []
    deadline = time.monotonic() + 10
    while (
        console.get(f"/api/console/conversations/{row['id']}").json()["conversation"]["status"]
        != "open"
    ):
        assert time.monotonic() < deadline, "the snoozed conversation did not reopen"
        time.sleep(0.2)


def test_two_unclear_messages_in_a_row_reach_a_person(console, talk):
    first = texts(talk("blorf snarkle wibbet"))
    assert "not sure i understood" in first or "rephrase" in first or "english" in first
    # The same words again: whether other gibberish counts as unclear or out of scope is up to
    # the trained model; a repeated unclear message is what this test is about.
    second = texts(talk("blorf snarkle wibbet"))
    assert "i've asked a person from our team" in second
    assert queued(console, talk.sender)["reason"] == "repeated_fallback"


def test_an_upset_complaint_reaches_a_person_first(console, talk):
    answer = texts(talk("I want to file a complaint, your service is terrible"))
    assert "i've asked a person from our team" in answer
    row = queued(console, talk.sender)
    assert (row["reason"], row["priority_name"]) == ("negative_sentiment", "urgent")
