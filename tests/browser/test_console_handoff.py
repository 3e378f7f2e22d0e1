"""The whole handoff loop with the real servers: a shopper asks for a person in the widget, an agent
claims the conversation in the console, reads the summary, sends an edited suggested reply, the
shopper sees it, the agent hands back, and the bot answers again."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from bot.appdata import get_app_engine, get_app_sessionmaker
from bot.handoff.agents import close_sessions_of
from devtools.console import PASSWORD, add_agent
from tests.browser.conftest import DESKTOP, screenshot_path
from tests.browser.console import Console
from tests.browser.widget import ANSWER_TIMEOUT_MS, Widget

pytestmark = [pytest.mark.browser, pytest.mark.integration]
LIVE_MS = 10_000
# Records (in window.__seenAt) when an agent's message with the given text appears in the widget
# (inside its open shadow root): the browser's own clock, as the console's click uses.
WATCH_FOR_AGENT_TEXT = """(needle) => {
  window.__seenAt = null;
  const root = document.getElementById('fernhill-chat').shadowRoot;
  new MutationObserver((_, observer) => {
    const hit = [...root.querySelectorAll('.fc-agent')].some((n) => n.textContent.includes(needle));
    if (hit) { window.__seenAt = Date.now(); observer.disconnect(); }
  }).observe(root, {subtree: true, childList: true, characterData: true});
}"""  # console updates arrive by SSE within the poll interval; generous on a busy CI


@pytest.fixture()
def agent_page(browser, app_database_url) -> Iterator[Page]:
    """A console tab of a new agent; afterwards nobody is signed in, whatever happened, so the
    other tests' handoffs are not queued."""
    agent_id = add_agent(app_database_url, "ann.berg@fernhill.example", "Ann Berg")
    context: BrowserContext = browser.new_context(viewport={"width": 1440, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()
    yield page
    context.close()
    with get_app_sessionmaker(get_app_engine(app_database_url))() as session, session.begin():
        close_sessions_of(session, agent_id)


def test_shopper_to_agent_and_back_to_the_bot(page, web_app, agent_page, tracker):
    console = Console(agent_page)
    console.sign_in(web_app.url, "ann.berg@fernhill.example", PASSWORD)  # an agent is now online

    page.set_viewport_size(DESKTOP)
    page.goto(web_app.url)
    widget = Widget(page)
    widget.open()
    widget.say("How long does delivery to Germany take?")
    widget.expect_sent("How long does delivery to Germany take?")
    widget.say("I want to talk to a human")
    widget.expect_answer("I've asked a person from our team to join this chat")
    session_id = widget.session_id()

    # The new handoff appears in the queue without a reload.
    item = console.queue.filter(has_text="I want to talk to a human")
    expect(item).to_have_count(1, timeout=LIVE_MS)
    expect(item).to_contain_text("Asked for a person")
    expect(item.locator(".app-badge")).to_have_text("Web chat")  # the app each shopper uses
    item.click()
    expect(agent_page.locator("#thread-meta")).to_contain_text("via Web chat")
    expect(agent_page.locator("#window-notice")).to_be_hidden()  # the widget has no reply window
    expect(console.transcript).to_contain_text("How long does delivery to Germany take?")
    expect(
        console.transcript.locator(".chip").filter(has_text="intent: contact_human_agent")
    ).to_have_count(1)
    expect(agent_page.get_by_role("complementary", name="About this conversation")).to_contain_text(
        "Handed over because the shopper asked for a person"
    )

    console.button("Claim").click()
    expect(
        widget.log.locator(".fc-notice").filter(has_text="Ann Berg from our team joined")
    ).to_be_visible()

    # While the agent has the chat, the shopper's messages reach the console and the bot is quiet.
    widget.say("Is it possible to get it by Friday?")
    expect(console.transcript.locator(".msg.contact").filter(has_text="by Friday")).to_be_visible(
        timeout=LIVE_MS
    )

    console.button("Suggest reply").click()
    expect(console.reply).not_to_have_value("", timeout=30_000)
    drafted = console.reply.input_value()
    assert drafted.startswith("Hi, I'm Ann from the Fernhill Goods team.")
    edited = drafted + " I'll check Friday delivery with the carrier for you now."
    console.reply.fill(edited)

    page.evaluate(WATCH_FOR_AGENT_TEXT, "Friday delivery with the carrier")
    sent_at = agent_page.evaluate(
        "() => { const t = Date.now(); document.getElementById('send').click(); return t; }"
    )
    agent_message = widget.log.locator(".fc-agent").filter(
        has_text="Friday delivery with the carrier"
    )
    expect(agent_message).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    expect(agent_message).to_contain_text("Ann Berg")
    delay_ms = page.evaluate("() => window.__seenAt") - sent_at
    print(f"\nagent send -> widget shows: {delay_ms} ms")
    assert delay_ms < 1000, f"the agent's reply took {delay_ms} ms to reach the widget"
    expect(console.transcript.locator(".msg.agent")).to_contain_text("Friday delivery")

    # An agent's markup reaches the shopper as text, never as HTML.
    console.reply.fill("See <img src=x onerror=alert(1)> <b>here</b>")
    console.button("Send").click()
    markup = widget.log.locator(".fc-agent").filter(has_text="onerror")
    expect(markup).to_contain_text("See <img src=x onerror=alert(1)> <b>here</b>")
    expect(markup.locator("img, b")).to_have_count(0)
    assert page.dialogs == []

    events = tracker(session_id)["events"]
    paused_user = max(
        i
        for i, e in enumerate(events)
        if e["event"] == "user" and "Friday" in (e.get("text") or "")
    )
    bot_after = [e for e in events[paused_user + 1 :] if e["event"] == "bot"]
    assert all(
        (e.get("metadata") or {}).get("agent") or (e.get("data") or {}).get("custom")
        for e in bot_after
    ), "the bot spoke while the agent had the conversation"

    agent_page.screenshot(path=str(screenshot_path("console-conversation.png")))
    console.button("Hand back to bot").click()
    expect(
        widget.log.locator(".fc-notice").filter(has_text="talking to the assistant again")
    ).to_be_visible()
    expect(agent_page.locator("#thread-meta")).to_contain_text("pending")

    widget.say("hello")
    widget.expect_sent("hello")
    expect(widget.log.locator(".fc-bot").last).to_contain_text(
        "Fernhill Goods", timeout=ANSWER_TIMEOUT_MS
    )

    # The conversation is searchable afterwards; signing out leaves no agent online.
    agent_page.get_by_label("Search past conversations").fill("by Friday")
    agent_page.get_by_label("Search past conversations").press("Enter")
    expect(console.queue).to_have_count(1)
    console.sign_out()
