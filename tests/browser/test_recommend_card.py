"""A recommendation in the widget: the numbered list (an ordered list) with a reason per product, and the products
card under it (picture, price, stock, link, "Ask about this")."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.widget import Widget

pytestmark = [pytest.mark.browser, pytest.mark.integration]


def test_a_recommendation_shows_the_products_card(page, web_app):
    page.goto(web_app.url)
    widget = Widget(page)
    widget.open()
    request = "noise cancelling headphones under 150 euros"
    widget.say(request)
    message = widget.log.locator(".fc-user").filter(has_text=request)
    expect(message.locator(".fc-delivery")).to_have_text("", timeout=120_000)
    # The numbered reply renders as an ordered list, one item (name and reason) per product.
    items = widget.log.locator(".fc-bot ol > li")
    expect(items.first).to_contain_text("Cadence", timeout=5_000)
    expect(items).to_have_count(2)
    products = page.get_by_role("region", name="Products")
    expect(products).to_have_count(1)
    cards = products.locator(".fc-product")
    expect(cards).to_have_count(2)  # the earbuds (€99) and the over-ear headphones (€149)
    first = cards.first
    expect(first.get_by_role("heading")).to_contain_text("Cadence")
    expect(first).to_contain_text("€")
    expect(first.locator("img")).to_have_count(1)
    link = first.get_by_role("link", name="View")
    assert link.get_attribute("href").startswith(f"{web_app.url}/products/FH-EA-")
    # "Ask about this" sends a question about that product.
    ask = first.get_by_role("button", name="Ask the assistant about Cadence")
    expect(ask).to_have_text("Ask about this")
    ask.click()
    expect(widget.user_messages("Tell me more about the Cadence").first).to_be_visible(
        timeout=10_000
    )
