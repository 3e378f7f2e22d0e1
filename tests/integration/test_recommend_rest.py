"""Recommendations end to end over the REST channel: the real Rasa server and action server
(session fixtures shared with the other integration tests). Each test is one shopper."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.commerce.catalogue import load_catalogue
from bot.messages import read_card
from tests.integration.conftest import texts

pytestmark = pytest.mark.integration

CATALOGUE = load_catalogue()


def shown(messages: list[dict]) -> list[str]:
    """SKUs of the products cards among the bot's messages."""
    skus: list[str] = []
    for message in messages:
        card = read_card(message)
        if card is not None and card["type"] == "products":
            skus += [p["sku"] for p in card["products"]]
    return skus


def price(sku: str) -> Decimal:
    product = CATALOGUE.get(sku)
    assert product is not None, sku
    return product.price


def stock(sku: str) -> int:
    product = CATALOGUE.get(sku)
    assert product is not None, sku
    return product.stock


def test_waterproof_backpack_under_budget_with_reason(talk):
    messages = talk("do you have a waterproof backpack for hiking under 100 euros?")
    skus = shown(messages)
    assert skus == ["FH-BA-0001"]  # the €89 roll-top, not the €179 trekking pack
    answer = texts(messages)
    assert "1. larkspur 22l roll-top backpack" in answer and "waterproof" in answer
    assert "€89.00" in answer


def test_cheaper_and_show_more_keep_the_context(talk):
    first = shown(talk("a gift for my mum who likes cooking, budget 40 euros"))
    assert first and all(price(s) <= 40 for s in first)
    cheaper = talk("something cheaper?")
    if "nothing in stock fits" not in texts(cheaper):
        assert shown(cheaper) and all(price(s) < price(first[0]) for s in shown(cheaper))
        assert not set(shown(cheaper)) & set(first)
    more = talk("show me more")
    # Still the same request (kitchen, under the budget), never a product shown before.
    assert "kitchen" in texts(more)
    if "nothing" not in texts(more):
        assert shown(more) and not set(shown(more)) & set(first)


def test_out_of_stock_is_never_recommended_and_nothing_fits_is_said(talk):
    messages = talk("rain boots for my kid")
    answer = texts(messages)
    assert "nothing in stock fits" in answer and "not made for children" in answer
    assert "FH-SH-0020" not in shown(messages)  # the kids' rain boots have 0 in stock
    assert all(stock(s) > 0 for s in shown(messages))


def test_refinements_and_comparison(talk):
    first = shown(talk("sneakers in size 41"))
    assert len(first) == 2
    canvas = shown(talk("not leather"))
    assert canvas == ["FH-SH-0007"]
    answer = texts(talk("I'm looking for noise cancelling headphones under 150"))
    assert "1. cadence" in answer
    compared = texts(talk("compare the first two"))
    assert "comparing" in compared and compared.count("€") >= 2


def test_a_new_topic_ends_the_context(talk):
    talk("a tent for camping")
    talk("what are your delivery options?")
    answer = texts(talk("anything cheaper?"))
    assert "haven't suggested anything" in answer and "tent" not in answer


def test_a_yes_no_question_about_a_named_product_gets_the_knowledge_answer(talk):
    messages = talk("are the corran hiking boots waterproof")
    cards = [card["type"] for card in map(read_card, messages) if card is not None]
    assert "sources" in cards, texts(messages)  # the knowledge answer, with its sources
    assert "here's what i'd suggest" not in texts(messages)
    assert "waterproof" in texts(messages)
