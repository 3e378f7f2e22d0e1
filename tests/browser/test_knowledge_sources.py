"""A product question is answered from the knowledge base, with its sources under the answer."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.widget import Widget

pytestmark = [pytest.mark.browser, pytest.mark.integration]


def test_a_product_question_is_answered_with_its_sources(page, web_app):
    page.goto(web_app.url)
    widget = Widget(page)
    widget.open()
    question = "Is the Larkspur 22L Roll-Top Backpack waterproof?"
    widget.say(question)
    # Rasa acknowledges the message once every reply to it was sent (generation can be slow).
    message = widget.log.locator(".fc-user").filter(has_text=question)
    expect(message.locator(".fc-delivery")).to_have_text("", timeout=120_000)
    answer = widget.log.locator(".fc-bot").filter(has_text="waterproof")
    expect(answer.first).to_be_visible(timeout=5_000)
    sources = page.get_by_role("complementary", name="Sources")
    link = sources.get_by_role("link", name="Larkspur 22L Roll-Top Backpack")
    expect(link).to_be_visible(timeout=5_000)
    assert link.get_attribute("href").startswith(("http://", "https://"))
    # The widget shows the sources once, as the card: no "Sources: …" text line as well.
    expect(widget.log.locator(".fc-bot .fc-text").filter(has_text="Sources:")).to_have_count(0)
    expect(sources).to_have_count(1)
    # The product itself comes as a card under the answer: picture, price, stock, its page.
    products = page.get_by_role("region", name="Products")
    expect(products).to_have_count(1)
    card = products.locator(".fc-product")
    expect(card).to_have_count(1)
    expect(card.get_by_role("heading")).to_have_text("Larkspur 22L Roll-Top Backpack")
    expect(card).to_contain_text("€89.00")
    expect(card.get_by_role("link", name="View")).to_have_attribute(
        "href", f"{web_app.url}/products/FH-BA-0001"
    )
