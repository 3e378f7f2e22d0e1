"""The card contract: every card type the Python side can send is taken by the widget's renderer
and by the console's renderer (the real ES modules, served by the real web app, in Chromium).

A new member of ``bot.messages.Card`` fails here until it has an example built below through the
builders and a renderer in ``bot/web/widget/chat/`` and in ``bot/web/console/static/render.js``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import Page

from bot.commerce.catalogue import load_catalogue
from bot.conversation.knowledge_answers import source_card
from bot.conversation.product_cards import products_card
from bot.generation.answering import Answer
from bot.knowledge.passages import Passage
from bot.messages import (
    CARD_TYPES,
    Card,
    agent_joined_card,
    agent_left_card,
    bot_card_event,
    envelope,
    rating_request_card,
)
from bot.messages.cards import order_item, order_status_card, tracking_event
from devtools.servers import Server, start_web_app

pytestmark = [pytest.mark.browser, pytest.mark.integration]

RASA_NOWHERE = "http://127.0.0.1:9"  # the pages here never talk to Rasa


def _products() -> Card:
    product = next(iter(load_catalogue()))
    passage = Passage(
        id=f"product:{product.sku}",
        title=product.name,
        text=f"{product.name}.",
        source="products.json",
        kind="product",
        sku=product.sku,
    )
    card = products_card([passage])
    assert card is not None, "the catalogue's first product gives no products card"
    return card


def _sources() -> Card:
    passage = Passage(
        id="shipping#express",
        title="Shipping > Express",
        text="Express delivery takes one business day.",
        source="shipping.md",
        kind="section",
        url="https://fernhill-goods.example/help/shipping#express",
    )
    return source_card([passage], Answer("Express takes one business day.", sources=[passage]))


def _order_status() -> Card:
    placed = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
    return order_status_card(
        order_id="A1001",
        status="shipped",
        placed_at=placed,
        total=Decimal("128.40"),
        currency="EUR",
        items=[order_item("FH-OC-0001", "Cairn 2-Person Backpacking Tent", 1)],
        carrier="PostNL",
        tracking_number="3SABCD1234567",
        estimated_delivery=date(2026, 11, 5),
        events=[tracking_event(placed, "Utrecht", "Parcel handed to the carrier")],
    )


# One example per card type, each made by the builders the assistant uses.
EXAMPLES: dict[str, Callable[[], Card]] = {
    "products": _products,
    "sources": _sources,
    "order_status": _order_status,
    "agent_joined": lambda: agent_joined_card("Ann"),
    "agent_left": agent_left_card,
    "rating_request": rating_request_card,
}

# Imports the real modules and renders one card with the widget's and the console's renderers.
RENDER = """
async ({ card, forms }) => {
  const shared = await import("/shared/messages.js");
  const widget = await import("/widget/chat/messages.js");
  const { readConfig } = await import("/widget/chat/config.js");
  const { RatingForm } = await import("/widget/chat/rating.js");
  const consoleView = await import("/console/static/render.js");
  const config = readConfig({}, new URL("/widget/fernhill-chat.js", location.href).href);
  const ctx = {
    strings: config.strings, language: config.language, locale: config.locale,
    apiUrl: config.apiUrl, agent: null, sessionId: () => "contract",
    send: () => {}, retry: () => {}, ask: () => {},
  };
  const read = forms.map((form) => shared.readCard(form));
  let count = 0;
  const received = widget.entriesFrom(card, ctx, () => `entry-${count++}`);
  const nodes = received.entries.map((entry) => widget.renderEntry(entry, ctx));
  const shown = document.createElement("div");
  for (const node of nodes) if (node) shown.append(node);
  if (received.rating) new RatingForm(shown, ctx, { onBack() {}, onNewChat() {} }).show();
  document.body.append(shown);
  const consoleNode = consoleView.cardItem(card);
  const line = consoleView.messageItem({
    id: 1, sender: "bot", text: `[${card.type} card]`, agent: null, intent: null,
    confidence: null, sentiment: null, sources: null, created_at: new Date().toISOString(), card,
  });
  if (consoleNode) document.body.append(consoleNode);
  return {
    jsTypes: [...shared.CARD_TYPES],
    read,
    widgetNodes: nodes.length,
    widgetMissing: nodes.filter((node) => !node).length,
    widgetText: shown.textContent.trim(),
    consoleText: consoleNode ? consoleNode.textContent.trim() : "",
    lineHasCard: Boolean(line.querySelector(".card-view")),
  };
}
"""


@pytest.fixture(scope="module")
def web_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The real web app (its own SQLite app database; no Rasa behind it)."""
    tmp = tmp_path_factory.mktemp("contract")
    server = start_web_app(tmp, RASA_NOWHERE, f"sqlite:///{tmp / 'app.db'}")
    yield server
    server.stop()


def test_every_card_type_has_an_example_built_by_the_builders() -> None:
    assert set(EXAMPLES) == set(CARD_TYPES), (
        "add an example of each new card type to EXAMPLES, built with its builder"
    )
    for kind, build in EXAMPLES.items():
        assert build()["type"] == kind


@pytest.mark.parametrize("kind", CARD_TYPES)
def test_the_widget_and_the_console_render_the_card(page: Page, web_app: Server, kind: str) -> None:
    card = EXAMPLES[kind]()
    # A page of the app, so the modules load under its own policy (a JSON answer such as /health
    # carries "default-src 'none'", which lets no script load).
    page.goto(f"{web_app.url}/console")
    forms: list[Any] = [
        card,
        dict(envelope(card)),
        {"custom": envelope(card)},
        bot_card_event(card),
    ]
    result = page.evaluate(RENDER, {"card": card, "forms": forms})

    assert result["jsTypes"] == list(CARD_TYPES), "bot/web/shared/messages.js lists other types"
    assert result["read"] == [card] * len(forms), "the JS reader reads the envelope differently"
    assert result["widgetMissing"] == 0, f"the widget has no view for {kind!r} cards"
    assert result["widgetText"], f"the widget shows nothing for a {kind!r} card"
    assert result["consoleText"], f"the console shows nothing for a {kind!r} card"
    assert result["lineHasCard"], "the console's transcript line leaves its card out"
