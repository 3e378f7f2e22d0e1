"""Properties of fact extraction and the grounding check (``bot.generation``): a passage
sentence repeated is supported; the same sentence with one fact changed is not; any text at all
gets a verdict."""

from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from bot.generation.claim_facts import extract
from bot.generation.claims import verify

pytestmark = pytest.mark.unit
COUNTRIES = ["Belgium", "Germany", "France", "Luxembourg", "Austria", "Spain", "Italy"]
CARRIERS = ["DHL", "PostNL", "UPS", "DPD"]
CENTS = st.integers(min_value=100, max_value=99_999)
DAYS = st.integers(min_value=1, max_value=30)


def euros(cents: int) -> str:
    return f"€{cents // 100}.{cents % 100:02d}"


@st.composite
def shipping_sentences(draw: st.DrawFn) -> tuple[str, dict[str, object]]:
    facts = {
        "country": draw(st.sampled_from(COUNTRIES)),
        "carrier": draw(st.sampled_from(CARRIERS)),
        "price": draw(CENTS),
        "low": draw(DAYS),
    }
    facts["high"] = int(facts["low"]) + draw(st.integers(min_value=1, max_value=5))  # type: ignore[call-overload]
    return sentence(facts), facts


def sentence(facts: dict[str, object]) -> str:
    return (
        f"Standard shipping to {facts['country']} costs {euros(int(facts['price']))} "  # type: ignore[call-overload]
        f"with {facts['carrier']} and takes {facts['low']}–{facts['high']} business days."
    )


@given(shipping_sentences())
def test_an_amount_is_extracted_with_its_currency(case: tuple[str, dict[str, object]]) -> None:
    text, facts = case
    money = [fact for fact in extract(text) if fact.kind == "money"]
    cents = int(facts["price"])  # type: ignore[call-overload]
    assert [(Decimal(m.value), m.unit) for m in money] == [(Decimal(cents) / 100, "EUR")]


@given(shipping_sentences())
def test_a_reply_that_repeats_its_passage_is_supported(case: tuple[str, dict[str, object]]) -> None:
    text, _ = case
    assert verify(text, [text]).supported


@given(shipping_sentences(), CENTS)
def test_a_changed_amount_is_caught(case: tuple[str, dict[str, object]], price: int) -> None:
    text, facts = case
    assume(price != facts["price"])
    verdict = verify(sentence({**facts, "price": price}), [text])
    assert not verdict.supported and verdict.unsupported[0].kind == "fact"


@given(shipping_sentences(), DAYS)
def test_a_changed_delivery_time_is_caught(case: tuple[str, dict[str, object]], low: int) -> None:
    text, facts = case
    assume(low != facts["low"])
    changed = {**facts, "low": low, "high": low + int(facts["high"]) - int(facts["low"])}  # type: ignore[call-overload]
    assert not verify(sentence(changed), [text]).supported


@given(shipping_sentences(), st.sampled_from(CARRIERS))
def test_another_carrier_is_caught(case: tuple[str, dict[str, object]], carrier: str) -> None:
    text, facts = case
    assume(carrier != facts["carrier"])
    assert not verify(sentence({**facts, "carrier": carrier}), [text]).supported


@given(shipping_sentences())
def test_nothing_is_supported_without_passages(case: tuple[str, dict[str, object]]) -> None:
    text, _ = case
    assert not verify(text, []).supported


@given(st.text(max_size=300), st.lists(st.text(max_size=200), max_size=3), st.text(max_size=80))
def test_any_text_gets_a_verdict(reply: str, passages: list[str], question: str) -> None:
    verdict = verify(reply, passages, question)
    assert verdict.supported == (not verdict.unsupported)
    extract(reply)
    extract(reply, all_names=True)
