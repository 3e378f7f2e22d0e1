"""Rasa restarted in the middle of a conversation: the widget says it is reconnecting, joins
again by itself once Rasa is back, keeps what the shopper saw, and the next message is answered
in the same conversation (the tracker is kept in a SQLite file, as ``make run`` keeps it).

The test runs a Rasa server of its own (the session's is shared by the other tests) on a fixed
port, with the session's action server, and the real web app in front of it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from playwright.sync_api import expect

from devtools.servers import ROOT, Server, free_port, start_rasa_server, start_web_app
from tests.browser.conftest import screenshot_path
from tests.browser.widget import ANSWER_TIMEOUT_MS, Widget

pytestmark = [pytest.mark.browser, pytest.mark.integration]

# Rasa takes a while to load its model on a small machine; the widget keeps trying meanwhile.
RECONNECT_TIMEOUT_MS = 300_000


class RestartableRasa:
    """A Rasa server on one fixed port, with its conversations in a SQLite file."""

    def __init__(self, tmp: Path, action_url: str, token: str) -> None:
        self.tmp, self.action_url, self.token = tmp, action_url, token
        self.port = free_port()
        self.tracker_db = tmp / "tracker.db"
        self.url = f"http://127.0.0.1:{self.port}"
        self.server: Server | None = None
        self.starts = 0

    def start(self) -> None:
        self.starts += 1
        run = self.tmp / f"run-{self.starts}"
        run.mkdir()
        self.server = start_rasa_server(
            run, self.action_url, self.token, port=self.port, tracker_db=self.tracker_db
        )
        assert self.server.url == self.url

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None

    def said(self, session_id: str) -> list[str]:
        """What the shopper said in the conversation, as Rasa's tracker holds it."""
        answer = requests.get(
            f"{self.url}/conversations/{session_id}/tracker",
            params={"token": self.token},
            timeout=30,
        )
        assert answer.status_code == 200, answer.text
        events: list[dict[str, Any]] = answer.json()["events"]
        return [e["text"] for e in events if e["event"] == "user"]


@pytest.fixture()
def model(request: pytest.FixtureRequest) -> Path:
    """The trained model: the session's (trained when missing)."""
    found = ROOT / "models" / "fernhill.tar.gz"
    if not found.exists():
        trained: Path = request.getfixturevalue("trained_model")
        return trained
    return found


@pytest.fixture()
def rasa(
    tmp_path: Path, model: Path, action_server: Server, rasa_token: str
) -> Iterator[RestartableRasa]:
    own = RestartableRasa(tmp_path, action_server.url, rasa_token)
    own.start()
    yield own
    own.stop()


@pytest.fixture()
def shop(tmp_path: Path, rasa: RestartableRasa) -> Iterator[Server]:
    server = start_web_app(tmp_path, rasa.url, f"sqlite:///{tmp_path / 'app.db'}")
    yield server
    server.stop()


def test_the_widget_reconnects_after_a_rasa_restart_with_the_conversation_intact(page, rasa, shop):
    page.goto(shop.url)
    widget = Widget(page)
    widget.open()
    widget.say("hello")
    widget.expect_sent("hello")
    widget.expect_answer("Fernhill Goods")
    shown = widget.log.locator(".fc-msg").count()
    session_id = widget.session_id()

    rasa.stop()
    # The widget says it lost the assistant and keeps trying ("connecting", then "unreachable").
    expect(widget.banner).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    expect(widget.banner).to_contain_text("assistant")
    assert widget.panel.get_attribute("data-connection") in ("connecting", "unreachable")
    page.screenshot(path=str(screenshot_path("fault-rasa-down.png")))

    rasa.start()
    expect(widget.panel).to_have_attribute(
        "data-connection", "online", timeout=RECONNECT_TIMEOUT_MS
    )
    expect(widget.banner).to_be_hidden()
    # What the shopper saw is still there, in the same conversation.
    assert widget.session_id() == session_id
    expect(widget.user_messages("hello")).to_have_count(1)
    expect(widget.log.locator(".fc-msg")).to_have_count(shown)

    bot_before = widget.log.locator(".fc-bot").count()
    widget.say("thank you")
    widget.expect_sent("thank you")
    expect(widget.log.locator(".fc-bot")).not_to_have_count(bot_before, timeout=ANSWER_TIMEOUT_MS)
    page.screenshot(path=str(screenshot_path("fault-rasa-restarted.png")))
    # Rasa's tracker outlived the restart: the conversation goes on where it was.
    assert rasa.said(session_id)[-2:] == ["hello", "thank you"]
