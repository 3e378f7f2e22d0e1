"""The shop page with the widget open, on a desktop and on a 360 px phone (screenshots go to
var/screenshots/ for people to look at)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, screenshot_path
from tests.browser.widget import Widget

pytestmark = [pytest.mark.browser, pytest.mark.integration]


def test_desktop_layout_with_an_order_card(page, web_app, demo):
    order = demo["shipped"]
    page.goto(web_app.url)
    widget = Widget(page)
    widget.open()
    page.get_by_role("button", name="Track my order").click()
    widget.expect_answer("order number")
    widget.say(order.order_id)
    widget.expect_answer("e-mail")
    widget.say(order.email)
    expect(page.get_by_role("article", name=f"Order {order.order_id}")).to_be_visible()
    box = widget.panel.bounding_box()
    assert box and 340 <= box["width"] <= 420 and box["x"] > 640  # a side panel, bottom right
    page.wait_for_timeout(300)  # the log's smooth end-scroll
    page.screenshot(path=str(screenshot_path("widget-desktop-1280x800.png")))


def test_phone_layout_is_full_screen(browser, web_app):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(web_app.url)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        widget = Widget(page)
        widget.open()
        assert widget.panel.bounding_box() == {"x": 0, "y": 0, **PHONE}
        widget.say("hello")
        widget.expect_sent("hello")
        page.get_by_label("Type your message").fill("Can I return an opened lipstick?")
        expect(widget.launcher).to_be_hidden()  # the panel covers the screen; close is in it
        page.screenshot(path=str(screenshot_path("widget-phone-360x740.png")))
        page.get_by_role("button", name="Close the chat").click()
        expect(widget.panel).to_be_hidden()
        expect(widget.launcher).to_be_visible()
    finally:
        context.close()
