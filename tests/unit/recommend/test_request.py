"""Reading recommendation requests: kind, budget, features, colour, size, recipient, occasion."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.recommend.request import Request, parse_request

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("text", "max_price", "min_price"),
    [
        ("a backpack under 100 euros", "100", None),
        ("headphones, max 35 euros", "35", None),
        ("no more than €60 for a scarf", "60", None),
        ("a jacket between 50 and 80 euros", "80", "50"),
        ("sandals for €40", "40", None),
        ("gift for my mum, budget 40 euros", "40", None),
        ("a tent over 300 euros", None, "300"),
        ("a moisturiser with SPF 30", None, None),
        ("a 20L backpack", None, None),
    ],
)
def test_budget(text: str, max_price: str | None, min_price: str | None) -> None:
    request = parse_request(text)
    assert request.max_price == (Decimal(max_price) if max_price else None)
    assert request.min_price == (Decimal(min_price) if min_price else None)


@pytest.mark.parametrize(
    ("text", "kinds", "uses"),
    [
        ("do you have a waterproof backpack for hiking?", ("backpack",), ("hiking",)),
        ("something for the kitchen", ("kitchen",), ()),
        ("something for hiking", (), ("hiking",)),
        ("rain boots for my kid", ("rain boots",), ()),
        ("a sleeping bag for camping", ("sleeping bag",), ("camping",)),
        ("a good kitchen knife", ("knife",), ()),
    ],
)
def test_kind_and_use(text: str, kinds: tuple[str, ...], uses: tuple[str, ...]) -> None:
    request = parse_request(text)
    assert request.kinds == kinds
    assert request.uses == uses


def test_features_colour_size_laptop() -> None:
    request = parse_request("a waterproof vegan bag in navy for a 15-inch laptop, size M")
    assert set(request.features) == {"waterproof", "vegan"}
    assert request.colour == "blue"
    assert request.size == "M"
    assert request.laptop_inches == 15.0


def test_noise_cancelling_and_sensitive_skin() -> None:
    assert parse_request("noise-cancelling headphones").features == ("noise cancelling",)
    assert parse_request("a cleanser for sensitive skin").features == ("sensitive skin",)


def test_recipient_occasion_and_cheap() -> None:
    request = parse_request("a cheap wedding gift for my sister")
    assert request.recipient == "her"
    assert request.occasion == "gift"
    assert request.cheap and request.gift and not request.kid
    assert parse_request("shoes for my kid").kid


def test_exclusions_are_not_features() -> None:
    request = parse_request("sneakers, not leather")
    assert request.excluded == ("leather",)
    assert "leather" not in request.features


def test_size_in_shoe_sizes() -> None:
    assert parse_request("boots in size 42").size == "42"
    assert parse_request("do you have it in 38").size == "38"
    assert parse_request("a shirt in medium").size == "M"


def test_empty_and_round_trip() -> None:
    assert parse_request("can you recommend something").is_empty()
    request = parse_request("blue shirt under 70 euros, no linen")
    assert Request.from_dict(request.to_dict()) == request
