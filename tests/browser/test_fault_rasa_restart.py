"""Rasa restarted in the middle of a conversation: the widget says it is reconnecting, joins
again by itself once Rasa is back, keeps what the shopper saw, and the next message is answered
in the same conversation (the tracker is kept in a SQLite file, as ``make run`` keeps it).

The test restarts the Rasa server the channel tests share (``rasa`` in tests/conftest.py: one
port, a SQLite tracker store, the session's action server), with the real web app in front of
it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from devtools.platform_standin import ChannelRasa
from devtools.servers import Server, start_web_app
from tests.browser.conftest import screenshot_path
from tests.browser.widget import ANSWER_TIMEOUT_MS, Widget

pytestmark = [pytest.mark.browser, pytest.mark.integration]

# Rasa takes a while to load its model on a small machine; the widget keeps trying meanwhile.
RECONNECT_TIMEOUT_MS = 300_000


@pytest.fixture()
def shop(tmp_path: Path, rasa: ChannelRasa) -> Iterator[Server]:
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

    rasa.stop()  # the restartable Rasa the channel tests share (tests/conftest.py)
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
    said = [event["text"] for event in rasa.user_events(session_id)]
    assert said[-2:] == ["hello", "thank you"]
