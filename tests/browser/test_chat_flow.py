"""A shopper's conversation in the widget: keyboard use, tracking an order with the buttons, the
conversation surviving a page reload."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.widget import Widget

pytestmark = [pytest.mark.browser, pytest.mark.integration]


def test_keyboard_only_greeting_quick_reply_and_closing(page, web_app):
    page.goto(web_app.url)
    widget = Widget(page)
    expect(page.get_by_role("heading", name="Bags & Accessories")).to_be_visible()
    widget.launcher.focus()
    page.keyboard.press("Enter")
    expect(widget.panel).to_be_visible()
    expect(widget.input).to_be_focused()
    expect(widget.log).to_have_attribute("aria-live", "polite")
    widget.wait_connected()
    # The greeting's suggestions are buttons, reachable with Shift+Tab from the input.
    page.keyboard.press("Shift+Tab")
    person = page.get_by_role("button", name="Talk to a person")
    expect(person).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(page.get_by_role("button", name="Start a return")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    widget.expect_answer("our team")
    expect(person).to_be_hidden()  # used suggestions go away
    widget.input.focus()
    page.keyboard.type("hello")
    page.keyboard.press("Enter")
    widget.expect_sent("hello")
    expect(widget.log.locator(".fc-bot").last).to_contain_text("Fernhill Goods")
    page.keyboard.press("Escape")
    expect(widget.panel).to_be_hidden()
    expect(widget.launcher).to_be_focused()
    expect(widget.launcher).to_have_attribute("aria-expanded", "false")


def test_track_an_order_with_the_buttons_then_reload_and_carry_on(page, web_app, demo, tracker):
    order = demo["shipped"]
    page.goto(web_app.url)
    widget = Widget(page)
    widget.open()
    page.get_by_role("button", name="Track my order").click()
    widget.expect_answer("order number")
    widget.say(order.order_id)
    widget.expect_answer("e-mail")
    widget.say(order.email)
    card = page.get_by_role("article", name=f"Order {order.order_id}")
    expect(card).to_be_visible(timeout=30_000)
    expect(card.locator(".fc-badge")).to_have_text("Shipped")
    expect(card).to_contain_text("Tracking number")
    expect(card.locator(".fc-progress [aria-current=step]")).to_have_text("Shipped")
    session_id = widget.session_id()

    page.reload()
    # The panel comes back open with the whole conversation, in the same Rasa session.
    expect(widget.panel).to_be_visible()
    expect(card).to_be_visible()
    expect(widget.user_messages(order.email)).to_have_count(1)
    assert widget.session_id() == session_id
    widget.wait_connected()
    widget.say("thank you")
    widget.expect_sent("thank you")
    said = [e["text"] for e in tracker(session_id)["events"] if e["event"] == "user"]
    assert said[-3:] == [order.order_id, order.email, "thank you"]
