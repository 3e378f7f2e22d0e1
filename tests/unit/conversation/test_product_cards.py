"""The products card under knowledge answers about products."""

from __future__ import annotations

import json

import pytest

from bot.commerce.catalogue import load_catalogue
from bot.conversation import product_cards
from bot.conversation.knowledge_answers import to_reply
from bot.conversation.product_cards import product_skus, products_card
from bot.generation.answering import DONT_KNOW, Answer
from bot.knowledge.passages import Passage

pytestmark = pytest.mark.unit


def product_passage(sku: str, name: str) -> Passage:
    return Passage(
        id=f"product:{sku}",
        title=name,
        text=f"{name}. Category: Outdoor.",
        source="products.json",
        kind="product",
        sku=sku,
        url=f"https://fernhill-goods.example/products/{sku}",
    )


TENT = product_passage("FH-OC-0001", "Cairn 2-Person Backpacking Tent")
POT = product_passage("FH-OC-0014", "Cairn Titanium Pot 750 ml")
GONE = product_passage("FH-XX-9999", "A product no longer sold")
RETURNS = Passage(
    id="returns#window",
    title="Returns > Return window",
    text="You have 30 days to return items.",
    source="returns.md",
    kind="section",
)


@pytest.fixture()
def catalogue(tmp_path):
    records = [
        {
            "sku": "FH-OC-0001",
            "name": "Cairn 2-Person Backpacking Tent",
            "category": "Outdoor & Camping",
            "price": 289.0,
            "currency": "EUR",
            "stock": 14,
        },
        {
            "sku": "FH-OC-0014",
            "name": "Cairn Titanium Pot 750 ml",
            "category": "Outdoor & Camping",
            "price": 39.5,
            "currency": "EUR",
            "stock": 0,
        },
    ]
    path = tmp_path / "products.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    return load_catalogue(path)


def test_the_card_shows_the_products_as_the_catalogue_has_them(catalogue):
    card = products_card([TENT, RETURNS, POT, GONE], catalogue)
    assert card == {
        "type": "products",
        "products": [
            {
                "sku": "FH-OC-0001",
                "name": "Cairn 2-Person Backpacking Tent",
                "price": "289.00",
                "currency": "EUR",
                "stock": 14,
                "image": "/images/products/FH-OC-0001.svg",
                "url": "/products/FH-OC-0001",
            },
            {
                "sku": "FH-OC-0014",
                "name": "Cairn Titanium Pot 750 ml",
                "price": "39.50",
                "currency": "EUR",
                "stock": 0,
                "image": "/images/products/FH-OC-0014.svg",
                "url": "/products/FH-OC-0014",
            },
        ],
    }
    assert products_card([TENT, POT], catalogue, limit=1)["products"][0]["sku"] == "FH-OC-0001"


def test_no_products_or_only_unknown_ones_give_no_card(catalogue):
    assert products_card([RETURNS], catalogue) is None
    assert products_card([GONE], catalogue) is None
    assert product_skus([TENT, TENT, RETURNS, POT]) == ["FH-OC-0001", "FH-OC-0014"]


def test_an_unreadable_catalogue_gives_no_card_and_no_error(tmp_path, monkeypatch):
    broken = tmp_path / "products.json"
    broken.write_text("[{", encoding="utf-8")
    monkeypatch.setattr(product_cards, "shop_catalogue", lambda: load_catalogue(broken))
    assert products_card([TENT]) is None


def test_an_answer_about_a_product_carries_its_card_after_the_sources(catalogue, monkeypatch):
    monkeypatch.setattr(product_cards, "shop_catalogue", lambda: catalogue)
    reply = to_reply(
        Answer("The Cairn 2-Person Backpacking Tent weighs 1.9 kg.", sources=[TENT, POT])
    )
    assert reply.custom["type"] == "sources"
    # The best source is shown; the pot, which the reply does not name, is not.
    assert [c["type"] for c in reply.extra_cards] == ["products"]
    assert [p["sku"] for p in reply.extra_cards[0]["products"]] == ["FH-OC-0001"]
    named = to_reply(
        Answer(
            "Take the Cairn 2-Person Backpacking Tent and the Cairn Titanium Pot 750 ml.",
            sources=[TENT, POT],
        )
    )
    assert [p["sku"] for p in named.extra_cards[0]["products"]] == ["FH-OC-0001", "FH-OC-0014"]


def test_policy_answers_and_refusals_carry_no_product_card(catalogue, monkeypatch):
    monkeypatch.setattr(product_cards, "shop_catalogue", lambda: catalogue)
    # A product among the sources that the reply does not name, behind a policy passage.
    assert (
        to_reply(Answer("You have 30 days to return items.", sources=[RETURNS, TENT])).extra_cards
        == []
    )
    assert (
        to_reply(Answer(DONT_KNOW, refused=True, kind="refusal", offer_human=True)).extra_cards
        == []
    )
