"""What the assistant and agents send is shown safely: text escaped, cards, agent notices."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.widget import Widget

pytestmark = [pytest.mark.browser, pytest.mark.integration]

INJECTION = (
    "Look <img src=x onerror=alert(1)> and <script>alert(2)</script> **bold** "
    "[help](https://fernhill-goods.example/help) [bad](javascript:alert(3))\n- one\n- two"
)


def started(page, web_app) -> Widget:
    """An open widget whose conversation has come through socket.io (Rasa's latest channel)."""
    page.goto(web_app.url)
    widget = Widget(page)
    widget.open()
    widget.say("hello")
    widget.expect_sent("hello")
    return widget


def card(data: dict) -> dict:
    """A bot event carrying a card the way the actions send it (custom JSON under "data")."""
    return {"event": "bot", "data": {"custom": {"data": data}}}


def test_a_bot_message_with_html_is_shown_as_text(page, web_app, inject):
    widget = started(page, web_app)
    inject(widget.session_id(), {"event": "bot", "text": INJECTION})
    message = widget.log.locator(".fc-bot").filter(has_text="onerror").last
    expect(message).to_contain_text(
        "Look <img src=x onerror=alert(1)> and <script>alert(2)</script>"
    )
    expect(message.locator("strong")).to_have_text("bold")
    expect(message.locator("li")).to_have_text(["one", "two"])
    links = message.locator("a")
    expect(links).to_have_count(1)
    expect(links).to_have_attribute("href", "https://fernhill-goods.example/help")
    expect(message).to_contain_text("[bad](javascript:alert(3))")
    assert message.locator("img, script").count() == 0
    page.wait_for_timeout(300)
    assert page.dialogs == []  # no alert() ran


def test_product_cards_sources_and_agent_notices(page, web_app, inject):
    widget = started(page, web_app)
    sid = widget.session_id()
    inject(
        sid,
        card(
            {
                "type": "products",
                "products": [
                    {
                        "sku": "FH-BA-0001",
                        "name": "Larkspur 22L Roll-Top Backpack",
                        "price": "89.00",
                        "currency": "EUR",
                        "stock": 73,
                        "image": "images/products/FH-BA-0001.svg",
                        "url": "/products/FH-BA-0001",
                    },
                    {
                        "sku": "FH-BA-0002",
                        "name": "Larkspur 15-inch Laptop Backpack",
                        "price": "109.00",
                        "currency": "EUR",
                        "stock": 2,
                        "image": "images/products/FH-BA-0002.svg",
                        "url": "javascript:alert(1)",
                    },
                ],
            }
        ),
    )
    products = page.get_by_role("region", name="Products")
    first = products.locator(".fc-product").first
    expect(first.get_by_role("heading")).to_have_text("Larkspur 22L Roll-Top Backpack")
    expect(first).to_contain_text("€89.00")
    expect(first).to_contain_text("In stock")
    expect(first.get_by_role("link", name="View")).to_have_attribute(
        "href", f"{web_app.url}/products/FH-BA-0001"
    )
    expect(first.locator("img")).to_have_attribute(
        "src", f"{web_app.url}/images/products/FH-BA-0001.svg"
    )
    second = products.locator(".fc-product").nth(1)
    expect(second).to_contain_text("Only 2 left")
    expect(second.get_by_role("link")).to_have_count(0)  # a javascript: URL is no link

    inject(sid, {"event": "bot", "text": "Returns are free within 30 days in the Netherlands."})
    inject(
        sid,
        card(
            {
                "type": "sources",
                "sources": [
                    {
                        "id": "returns",
                        "title": "Returns policy",
                        "url": "https://fernhill-goods.example/help/returns",
                    },
                    {"id": "faq-3", "title": "FAQ: return labels", "url": None},
                ],
            }
        ),
    )
    sources = page.get_by_role("complementary", name="Sources")
    expect(sources.get_by_role("link", name="Returns policy")).to_be_visible()
    expect(sources).to_contain_text("FAQ: return labels")

    inject(sid, card({"type": "agent_joined", "agent": "Anna"}))
    inject(sid, {"event": "bot", "text": "Hi, I'm Anna from the team. How can I help?"})
    expect(widget.log.locator(".fc-notice").last).to_have_text(
        "Anna from our team joined the chat."
    )
    expect(widget.panel.locator(".fc-subtitle")).to_have_text("You're chatting with Anna")
    expect(widget.log.locator(".fc-agent .fc-sender").last).to_have_text("Anna")
    inject(sid, card({"type": "agent_left"}))
    expect(widget.log.locator(".fc-notice").last).to_contain_text(
        "You're talking to the assistant again"
    )
    expect(widget.panel.locator(".fc-subtitle")).not_to_contain_text("Anna")

    first.get_by_role(
        "button", name="Ask the assistant about Larkspur 22L Roll-Top Backpack"
    ).click()
    widget.expect_sent("Tell me more about the Larkspur 22L Roll-Top Backpack")

    # A message that arrives while the panel is closed is counted on the launcher.
    page.keyboard.press("Escape")
    inject(sid, {"event": "bot", "text": "Anything else I can do?"})
    expect(widget.launcher).to_have_attribute("aria-label", "Open the chat (1 new message)")
    expect(widget.launcher.locator(".fc-unread")).to_have_text("1")
    widget.launcher.click()
    expect(widget.launcher.locator(".fc-unread")).to_be_hidden()
