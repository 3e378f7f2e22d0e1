"""Conversations over several turns: refinements keep the context, comparisons answer from
both products' data, a new topic ends the context."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from bot.appdata.profiles import ProfileView
from bot.commerce.catalogue import Catalogue
from bot.recommend.dialogue import Context, Turn, context_is_current, respond
from bot.recommend.filters import misses
from bot.recommend.search import CatalogueBM25

pytestmark = pytest.mark.unit


class Chat:
    """One shopper's conversation with the recommender."""

    def __init__(self, catalogue: Catalogue, relevance: CatalogueBM25) -> None:
        self.catalogue, self.relevance = catalogue, relevance
        self.context: Context | None = None

    def say(self, text: str, followup: bool = False) -> Turn:
        turn = respond(text, self.context, self.catalogue, self.relevance, followup=followup)
        # The slot's JSON round trip, as Rasa keeps it.
        self.context = Context.from_dict(turn.context.to_dict()) if turn.context else None
        return turn


def test_cheaper_keeps_the_kind_and_lowers_the_budget(
    catalogue: Catalogue, relevance: CatalogueBM25
) -> None:
    chat = Chat(catalogue, relevance)
    first = chat.say("boots")
    top = catalogue.get(first.skus[0])
    assert top is not None
    cheaper = chat.say("anything cheaper?", followup=True)
    assert cheaper.skus and not cheaper.nothing_fits
    for sku in cheaper.skus:
        product = catalogue.get(sku)
        assert product is not None and product.price < top.price
        assert sku not in first.skus
        assert chat.context is not None and misses(product, chat.context.request) == []


def test_colour_size_and_exclusion_refinements(
    catalogue: Catalogue, relevance: CatalogueBM25
) -> None:
    chat = Chat(catalogue, relevance)
    chat.say("sneakers in size 41")
    turn = chat.say("not leather", followup=True)
    assert turn.skus == ("FH-SH-0007",)
    blue = chat.say("in blue?", followup=True)
    assert blue.nothing_fits
    assert "not in blue" in blue.reply.text


def test_show_more_never_repeats(catalogue: Catalogue, relevance: CatalogueBM25) -> None:
    chat = Chat(catalogue, relevance)
    first = chat.say("something for the kitchen")
    more = chat.say("show me more", followup=True)
    assert more.skus and not set(first.skus) & set(more.skus)


def test_more_like_the_second_one(catalogue: Catalogue, relevance: CatalogueBM25) -> None:
    chat = Chat(catalogue, relevance)
    first = chat.say("hiking boots")
    turn = chat.say("more like the second one", followup=True)
    assert first.skus[1] not in turn.skus


def test_compare_the_first_two(catalogue: Catalogue, relevance: CatalogueBM25) -> None:
    chat = Chat(catalogue, relevance)
    first = chat.say("noise cancelling headphones")
    turn = chat.say("compare the first two", followup=True)
    assert turn.skus == first.skus[:2]
    for sku in turn.skus:
        product = catalogue.get(sku)
        assert product is not None
        assert product.name in turn.reply.text and f"€{product.price:.2f}" in turn.reply.text


def test_budget_alone_refines_the_current_request(
    catalogue: Catalogue, relevance: CatalogueBM25
) -> None:
    chat = Chat(catalogue, relevance)
    chat.say("running shoes")
    turn = chat.say("under 125 euros please")
    assert chat.context is not None
    assert chat.context.request.kinds == ("running shoes",)
    assert chat.context.request.max_price == Decimal("125")
    assert turn.skus == ("FH-SH-0002",)


def test_followup_without_suggestions_asks_what_they_want(
    catalogue: Catalogue, relevance: CatalogueBM25
) -> None:
    turn = Chat(catalogue, relevance).say("anything cheaper?", followup=True)
    assert turn.context is None and "haven't suggested" in turn.reply.text


def test_products_card_and_numbered_list(catalogue: Catalogue, relevance: CatalogueBM25) -> None:
    turn = Chat(catalogue, relevance).say("vegan shampoo")
    (card,) = turn.reply.extra_cards
    assert card["type"] == "products"
    assert [p["sku"] for p in card["products"]] == list(turn.skus)
    assert "\n1. " in turn.reply.text


def test_context_ends_when_the_topic_changes() -> None:
    def user(text: str) -> dict[str, object]:
        return {"event": "user", "text": text, "timestamp": 1.0}

    def action(name: str) -> dict[str, object]:
        return {"event": "action", "name": name, "timestamp": 1.0}

    recommended = [user("a backpack"), action("action_recommend"), action("action_listen")]
    assert context_is_current([*recommended, user("cheaper?")])
    other = [*recommended, user("where is my order"), action("order_form"), action("action_listen")]
    assert not context_is_current([*other, user("cheaper?")])


def test_a_returning_shopper_is_welcomed_and_their_size_comes_first(
    catalogue: Catalogue, relevance: CatalogueBM25
) -> None:
    profile = ProfileView(
        email="ana@example.com", max_price=None, sizes=("45",), colours=(), features=(),
        excluded=(), last_used_at=datetime.now(UTC),
    )  # fmt: skip
    turn = respond("sneakers", None, catalogue, relevance, followup=False, profile=profile)
    assert turn.reply.text.startswith("Welcome back! I've kept size 45 in mind.")
    # The leather court sneakers have no size 45 left; the canvas ones do: they come first.
    assert turn.skus[0] == "FH-SH-0007"
    plain = respond("sneakers", None, catalogue, relevance, followup=False)
    assert not plain.reply.text.startswith("Welcome back")
    assert plain.skus[0] == "FH-SH-0008"
