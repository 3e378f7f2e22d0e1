"""Hard filters and search over the real catalogue: every product shown meets every hard
constraint; when none does, the nearest in-stock products come with what they miss."""

from __future__ import annotations

import pytest

from bot.commerce.catalogue import Catalogue
from bot.recommend.filters import has_feature, misses, size_matches
from bot.recommend.reasons import reason_for, reason_is_grounded
from bot.recommend.request import parse_request
from bot.recommend.search import CatalogueBM25, search

pytestmark = pytest.mark.unit

REQUESTS = [
    "do you have a waterproof backpack for hiking under 100 euros?",
    "a gift for my mum who likes cooking, budget 40 euros",
    "noise cancelling headphones between 50 and 120 euros",
    "a bag for a 15-inch laptop",
    "vegan shampoo",
    "sneakers in size 41, not leather",
    "a blue shirt in size M",
    "cheap hiking gear",
]


@pytest.mark.parametrize("text", REQUESTS)
def test_every_product_shown_meets_every_constraint(
    text: str, catalogue: Catalogue, relevance: CatalogueBM25
) -> None:
    request = parse_request(text)
    result = search(request, catalogue, relevance)
    assert result.fits, text
    for product in result.fits:
        assert product.stock > 0
        assert misses(product, request) == []
        if request.max_price is not None:
            assert product.price <= request.max_price


def test_waterproof_backpack_under_100(catalogue: Catalogue, relevance: CatalogueBM25) -> None:
    result = search(
        parse_request("a waterproof backpack for hiking under 100 euros"), catalogue, relevance
    )
    assert [p.sku for p in result.fits] == ["FH-BA-0001"]  # not the €179 trekking pack


def test_out_of_stock_is_never_offered(catalogue: Catalogue, relevance: CatalogueBM25) -> None:
    result = search(parse_request("rain boots for my kid"), catalogue, relevance)
    assert result.fits == ()  # Pip Kids' Rain Boots have 0 in stock
    assert result.nearest
    assert all(n.product.stock > 0 for n in result.nearest)
    assert "FH-SH-0020" not in {n.product.sku for n in result.nearest}
    heron = result.nearest[0]
    assert heron.product.sku == "FH-SH-0017"
    assert [m.constraint for m in heron.missed] == ["recipient"]


def test_nothing_under_budget_offers_the_closest(
    catalogue: Catalogue, relevance: CatalogueBM25
) -> None:
    result = search(
        parse_request("noise cancelling headphones under 30 euros"), catalogue, relevance
    )
    assert result.fits == ()
    closest = result.nearest[0]
    assert closest.product.sku == "FH-EA-0009"  # €99 earbuds: the cheapest that cancel noise
    assert [m.text for m in closest.missed] == ["over €30.00"]


def test_feature_must_be_stated_not_negated(catalogue: Catalogue) -> None:
    rain_jacket = catalogue.get("FH-CL-0018")
    field_jacket = catalogue.get("FH-CL-0005")  # water-repellent is not waterproof
    assert rain_jacket is not None and field_jacket is not None
    assert has_feature(rain_jacket, "waterproof")
    assert not has_feature(field_jacket, "waterproof")


def test_a_sold_out_size_is_not_offered(catalogue: Catalogue, relevance: CatalogueBM25) -> None:
    # The canvas sneakers come in size 42, but that variant has none left.
    result = search(parse_request("sneakers in size 42, not leather"), catalogue, relevance)
    assert result.fits == ()
    canvas = next(n for n in result.nearest if n.product.sku == "FH-SH-0007")
    assert [m.text for m in canvas.missed] == ["size 42 sold out"]


def test_size_ranges() -> None:
    assert size_matches(["36-37", "42-43"], "42")
    assert size_matches(["S", "M", "L"], "M")
    assert not size_matches(["40", "41"], "42")
    assert size_matches(["S/M (85-95)", "L/XL"], "M")


@pytest.mark.parametrize("text", REQUESTS)
def test_reasons_come_from_the_product_and_pass_the_grounding_check(
    text: str, catalogue: Catalogue, relevance: CatalogueBM25
) -> None:
    request = parse_request(text)
    for product in search(request, catalogue, relevance).fits:
        reason = reason_for(product, request)
        assert reason.endswith(f"€{product.price:.2f}")
        assert len(reason) <= 160
        assert reason_is_grounded(reason, product)


def test_search_rejects_a_bad_limit(catalogue: Catalogue, relevance: CatalogueBM25) -> None:
    with pytest.raises(ValueError, match="limit must be greater than 0"):
        search(parse_request("a backpack"), catalogue, relevance, limit=0)
