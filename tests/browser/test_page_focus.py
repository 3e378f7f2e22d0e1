"""On a product page, "this backpack" is the page's product: the widget sends the page's SKU."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from bot.messages.cards import read_card
from tests.browser.widget import Widget

pytestmark = [pytest.mark.browser, pytest.mark.integration]

SKU = "FH-BA-0001"
NAME = "Larkspur 22L Roll-Top Backpack"


def test_a_question_on_a_product_page_is_about_that_product(page, web_app, tracker):
    page.goto(f"{web_app.url}/products/{SKU}")
    expect(page.locator(f'[data-fernhill-product="{SKU}"]')).to_have_count(1)
    widget = Widget(page)
    widget.open()
    # Without the page, "this backpack … 15 inch laptop" reads as the 15-inch laptop backpack.
    question = "does this backpack fit a 15 inch laptop?"
    widget.say(question)
    message = widget.log.locator(".fc-user").filter(has_text=question)
    expect(message.locator(".fc-delivery")).to_have_text("", timeout=120_000)
    sources = page.get_by_role("complementary", name="Sources")
    expect(sources.get_by_role("link", name=NAME)).to_be_visible(timeout=5_000)
    events = tracker(widget.session_id())["events"]
    asked = [e for e in events if e["event"] == "user" and e.get("text") == question]
    assert asked, [e.get("text") for e in events if e["event"] == "user"]
    assert asked[-1]["metadata"].get("page_product") == SKU
    # The best source of the answer is the page's product.
    cards = [read_card(e) for e in events if e["event"] == "bot"]
    sources_cards = [c for c in cards if c is not None and c["type"] == "sources"]
    assert sources_cards, "no sources card in the conversation"
    assert sources_cards[-1]["sources"][0]["id"] == f"product:{SKU}"
