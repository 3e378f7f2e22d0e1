"""Claim rules: facts paired as the passage pairs them (claim_pairing), weekdays, promises of what
is included, unconditional and bounded claims (through the claim check)."""

from __future__ import annotations

import pytest

from bot.generation.claim_pairing import items
from bot.generation.claims import verify

pytestmark = pytest.mark.unit

CARRIERS = (
    "Carriers\nPostNL in the Netherlands, DHL in the rest of the EU, DPD in the United Kingdom "
    "and UPS in the USA and Canada."
)
SIZES = (
    "Kibble & Co Salmon Recipe\nIt comes in three bag sizes: 4 lb for $24.99, 12 lb for "
    "$54.99 and 24 lb for $89.99."
)


def test_items_are_cut_outside_brackets_and_numbered_by_sentence() -> None:
    assert items("Carriers are PostNL (Netherlands), UPS (USA and Canada). Ask us.") == [
        (0, "Carriers are PostNL (Netherlands)"),
        (0, "UPS (USA and Canada)."),
        (1, "Ask us."),
    ]


@pytest.mark.parametrize(
    ("reply", "passage", "supported"),
    [
        ("DHL delivers our UK orders.", CARRIERS, False),
        ("DPD delivers our UK orders.", CARRIERS, True),
        ("UPS delivers to Canada.", CARRIERS, True),
        ("The 12 lb bag costs $89.99.", SIZES, False),
        ("The 12 lb bag costs $54.99.", SIZES, True),
        # A list of places after one carrier pairs nothing: every place goes with DHL.
        (
            "DHL delivers to Belgium.",
            "Shipping\nDHL delivers to Germany, Austria and Belgium.",
            True,
        ),
        # A name of one sentence with the amount of the next, whose own name is another.
        (
            "Venmo lets you split orders over $50 into four payments.",
            "Payment\nWe accept Visa, PayPal and Venmo. Afterpay lets you split orders over $50 "
            "into four payments.",
            False,
        ),
    ],
)
def test_claims_keep_the_passages_pairs(reply: str, passage: str, supported: bool) -> None:
    assert verify(reply, [passage]).supported is supported


@pytest.mark.parametrize(
    ("reply", "supported"),
    [
        ("On Saturdays the York shop is open until 5:30pm.", True),
        ("The York shop is open on Wednesday until 5:30pm.", True),  # inside "Monday to Saturday"
        ("The York shop is open on Sundays until 5:30pm.", False),
        ("Free shipping from €75 applies in France.", False),  # France goes with €50
        ("Free shipping from €50 applies in France.", True),
    ],
)
def test_weekdays_and_runs_of_a_list(reply: str, supported: bool) -> None:
    passages = [
        "Shops\nOur York shop is open Monday to Saturday 9am–5:30pm and Sunday 10am–4pm.",
        "Free shipping\nThe threshold for your zone: €50 in the Netherlands, €50 in Belgium, "
        "Germany and France, €75 in the rest of the EU and €120 in the United Kingdom.",
    ]
    assert verify(reply, passages).supported is supported


@pytest.mark.parametrize(
    ("reply", "passage", "supported"),
    [
        (
            "An e-bike service costs €89 including parts.",
            "Service\nA standard e-bike service costs €89; parts are charged separately.",
            False,
        ),
        (
            "An e-bike service costs €89, parts not included.",
            "Service\nA standard e-bike service costs €89; parts are charged separately.",
            True,
        ),
        (
            "Helmets can be returned within 30 days, even if you've removed the film.",
            "Helmets\nUnworn helmets with the film still on can be returned within 30 days.",
            False,
        ),
        (
            "You can cancel the subscription any time.",
            "Subscription\nYou can pause or cancel it any time before the 20th.",
            False,
        ),
        (
            "You can cancel the subscription any time before the 20th.",
            "Subscription\nYou can pause or cancel it any time before the 20th.",
            True,
        ),
    ],
)
def test_included_unconditional_and_bounded_claims(
    reply: str, passage: str, supported: bool
) -> None:
    assert verify(reply, [passage]).supported is supported


def test_a_cap_or_hedge_on_another_quantity_is_no_narrowing() -> None:
    passage = (
        "Kestrel\nThe Kestrel city bike weighs 14.2 kg and carries up to 120 kg, rider and "
        "luggage together."
    )
    assert verify("It weighs 14.2 kg.", [passage]).supported
    assert not verify("It carries 120 kg.", [passage]).supported  # the cap is left out
    offer = "Autoship\nAutoship saves 35% off your first Autoship order, up to $20."
    assert not verify("You save 35% on your first Autoship order.", [offer]).supported


def test_a_value_of_another_items_subject() -> None:
    passage = (
        "Frame warranty\nFrame warranty: 10 years on aluminium frames, 5 years on carbon frames."
    )
    assert not verify("Carbon frames have a 10-year warranty.", [passage]).supported
    assert verify("Carbon frames have a 5-year warranty.", [passage]).supported
    assert verify("Aluminium frames have a 10-year warranty.", [passage]).supported


def test_the_cap_amount_stated_as_a_fixed_one() -> None:
    passage = "Trade-in\nBring your old bike and we'll give you a voucher worth up to €300."
    assert not verify("You get a €300 voucher for your old bike.", [passage]).supported
    assert verify("You get a voucher worth up to €300 for your old bike.", [passage]).supported
