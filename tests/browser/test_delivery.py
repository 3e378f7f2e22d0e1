"""Messages reach Rasa exactly once: typed offline, re-sent after a lost acknowledgement, or
refused visibly when the assistant cannot be reached."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from devtools.servers import free_port
from tests.browser.widget import Widget

pytestmark = [pytest.mark.browser, pytest.mark.integration]


def user_events(tracker, session_id: str) -> list[dict]:
    return [e for e in tracker(session_id)["events"] if e["event"] == "user"]


def test_a_message_typed_offline_is_delivered_once_when_back_online(
    page, context, web_app, tracker
):
    page.goto(web_app.url)
    widget = Widget(page)
    widget.open()
    context.set_offline(True)
    expect(widget.banner).to_contain_text("You're offline")
    widget.say("where is my order?")
    pending = widget.log.locator(".fc-user").filter(has_text="where is my order?")
    expect(pending.locator(".fc-delivery")).to_have_text("Waiting to send…")
    page.wait_for_timeout(1500)
    context.set_offline(False)
    widget.expect_sent("where is my order?")
    widget.expect_answer("order number")
    expect(widget.banner).to_be_hidden()
    events = user_events(tracker, widget.session_id())
    assert [e["text"] for e in events] == ["where is my order?"]
    assert events[0]["metadata"]["client_message_id"] == pending.get_attribute("data-entry")
    expect(widget.user_messages("where is my order?")).to_have_count(1)


def test_a_message_whose_acknowledgement_was_lost_is_resent_but_handled_once(
    page, context, web_app, tracker
):
    dropped: list[str] = []
    connections: list[object] = []

    def relay(ws) -> None:
        # The first connection loses every acknowledgement (socket.io ACK frames, "43…") on
        # the way back, as if the network dropped right after Rasa handled the message.
        server = ws.connect_to_server()
        lose_acks = not connections
        connections.append(ws)

        def to_page(message):
            if lose_acks and isinstance(message, str) and message.startswith("43"):
                dropped.append(message)
            else:
                ws.send(message)

        server.on_message(to_page)

    page.route_web_socket(re.compile(r".*/socket\.io/.*"), relay)
    page.goto(web_app.url)
    widget = Widget(page)
    widget.open()
    widget.say("hello")
    widget.expect_answer("Fernhill Goods")
    sending = widget.log.locator(".fc-user").filter(has_text="hello").locator(".fc-delivery")
    expect(sending).to_have_text("Sending…")
    typing = widget.panel.locator(".fc-typing")
    expect(typing).to_be_visible()  # no acknowledgement yet: the assistant is still at work
    for _ in range(100):  # route callbacks run while Playwright waits
        if dropped:
            break
        page.wait_for_timeout(100)
    assert dropped, "Rasa acknowledged the message (and the acknowledgement was dropped)"
    context.set_offline(True)
    context.set_offline(False)
    widget.expect_sent("hello")  # re-sent with the same id on the new connection
    expect(typing).to_be_hidden()
    assert len(connections) >= 2
    assert [e["text"] for e in user_events(tracker, widget.session_id())] == ["hello"]
    expect(widget.log.locator(".fc-bot")).to_have_count(2)  # greeting + one answer, not two


def test_unreachable_assistant_on_another_site_shows_not_sent_and_retry(page, web_app, other_site):
    dead = f"http://127.0.0.1:{free_port()}"
    html = f"""<!doctype html><html lang="en"><head><title>Other shop</title></head><body>
      <h1>Another shop</h1>
      <script>window.FernhillChat = {{socketUrl: "{dead}", title: "Help", sendTimeout: 2,
        position: "left", colors: {{primary: "#7a1f5c"}}}};</script>
      <script src="{web_app.url}/widget/fernhill-chat.js" defer></script></body></html>"""
    page.goto(other_site(html))
    page.get_by_role("button", name="Open the chat").click()
    panel = page.get_by_role("dialog", name="Help")
    expect(panel).to_be_visible()
    expect(panel.locator(".fc-banner")).to_contain_text("can't be reached", timeout=15_000)
    expect(panel.get_by_role("button", name="Try again")).to_be_visible()
    page.get_by_label("Type your message").fill("is anyone there?")
    page.get_by_label("Type your message").press("Enter")
    message = panel.locator(".fc-user").filter(has_text="is anyone there?")
    expect(message.locator(".fc-delivery")).to_contain_text("Not sent", timeout=10_000)
    retry = page.get_by_role("button", name="Retry sending: is anyone there?")
    retry.click()
    expect(message.locator(".fc-delivery")).to_have_text("Waiting to send…")
    expect(message.locator(".fc-delivery")).to_contain_text("Not sent", timeout=10_000)
    launcher_box = page.locator("#fernhill-chat .fc-launcher").bounding_box()
    assert launcher_box and launcher_box["x"] < 100  # position: "left"
