"""Composed answers: the best passage's sentences nearest the question, readable, in order."""

from __future__ import annotations

import numpy as np
import pytest

from bot.generation.compose import ComposeConfig, WordVectors, compose, pieces_of, table_row
from bot.generation.opening import direct_opening, opening_agrees, polarity
from bot.generation.scoring import final_is_supported
from bot.knowledge.passages import Passage

pytestmark = pytest.mark.unit

SUMMIT = Passage(
    id="product:FH-OC-0006",
    title="Summit 45+10 Trekking Pack",
    source="products.json",
    kind="product",
    text="Summit 45+10 Trekking Pack (FH-OC-0006).\nCategory: Outdoor & Camping > Backpacks.\nPrice: €179.00.\n"
    "In stock.\nA trekking backpack for hut-to-hut hikes and weekends under canvas. The back length adjusts "
    "from 42 to 52 cm and the ventilated mesh back keeps a gap between you and the pack. An integrated rain "
    "cover lives in the base pocket.\nColour: graphite.\nCapacity: 45 L plus 10 L extension.\n"
    "Material: recycled 420D nylon, aluminium frame.\nWeight: 1.75 kg.\n"
    "Care: hand wash with mild soap.\nTags: backpack, trekking, hiking.",
)
UK = Passage(
    id="faq:faq-shipping-06",
    title="Do you ship to the UK?",
    question="Do you ship to the UK?",
    source="faq.csv",
    kind="faq",
    text="Yes, with DPD: standard delivery takes 3–5 business days and costs €12.95, free from €120. "
    "There is no express option for the UK, and import duties may be charged on delivery.",
)
RETURNS = Passage(
    id="returns#window",
    title="Returns > Return window",
    source="returns.md",
    kind="section",
    text="You have 30 days from delivery to start a return. Beauty & Care products can be returned within "
    "14 days, and only if they are unopened. Final sale items cannot be returned. Refunds are issued "
    "within 5 business days after the return arrives.",
)
ZONES = Passage(
    id="shipping#zones",
    title="Shipping > Zones and carriers",
    source="shipping.md",
    kind="section",
    text="Fernhill Goods uses one carrier per shipping zone:\n| Zone | Countries | Carrier |\n"
    "| NL | Netherlands | PostNL |\n| EU1 | Belgium, Germany, Luxembourg, France | DHL |\n"
    "| UK | United Kingdom | DPD |",
)


class TopicEmbedder:
    """Vectors over a few topics, each named by some words (enough to rank by meaning here)."""

    name = "topics"
    topics = [
        ("made of", "material", "fabric", "nylon"),
        ("weigh", "heavy", "kg"),
        ("price", "cost", "€"),
        ("london", "uk", "united kingdom", "dpd"),
        ("express",),
        ("ship", "deliver"),
        ("return",),
        ("cream", "beauty", "lipstick"),
        ("final sale",),
        ("refund",),
        ("germany", "dhl"),
    ]

    @property
    def dimension(self) -> int:
        return len(self.topics) + 1

    def encode(self, texts, *, progress=False):
        rows = []
        for text in texts:
            lowered = text.lower()
            row = [float(sum(word in lowered for word in words)) for words in self.topics] + [0.2]
            rows.append(np.array(row, dtype=np.float32) / np.linalg.norm(row))
        return np.vstack(rows)


def test_a_product_question_gets_a_readable_sentence_not_the_record():
    composed = compose("what is the summit trekking pack made of?", SUMMIT, TopicEmbedder())
    assert composed.text.startswith(
        "Summit 45+10 Trekking Pack: material recycled 420D nylon, aluminium frame"
    )
    assert (
        " | " not in composed.text
        and "FH-OC-0006" not in composed.text
        and "Tags" not in composed.text
    )
    assert "Category" not in composed.text and len(composed.text) <= 320
    assert final_is_supported(composed.text, [SUMMIT], "what is the summit trekking pack made of?")


def test_composition_picks_the_sentence_nearest_the_question_and_keeps_passage_order():
    config = ComposeConfig(sentences=1)
    composed = compose("can I return a cream I opened?", RETURNS, TopicEmbedder(), config)
    assert (
        composed.text
        == "Beauty & Care products can be returned within 14 days, and only if they are unopened."
    )
    two = compose(
        "can I return a final sale item and when is my refund?",
        RETURNS,
        TopicEmbedder(),
        ComposeConfig(sentences=2),
    )
    assert two.pieces == [
        "Final sale items cannot be returned.",
        "Refunds are issued within 5 business days after the return arrives.",
    ]


def test_a_faq_yes_for_a_different_question_loses_its_yes():
    other = compose(
        "can I get express delivery to london?", UK, TopicEmbedder(), ComposeConfig(title_match=0.9)
    )
    assert other.verdict == "yes" and not other.verdict_kept
    assert other.text.startswith(
        "With DPD: standard delivery"
    ) and not other.text.lower().startswith("yes")
    same = compose("Do you ship to the UK?", UK, TopicEmbedder(), ComposeConfig(title_match=0.9))
    assert same.verdict_kept and same.text.startswith("Yes, with DPD")
    assert same.title_similarity == pytest.approx(1.0)


def test_table_rows_read_as_sentences():
    assert (
        table_row(["Zone", "Countries", "Carrier"], ["UK", "United Kingdom", "DPD"])
        == "Zone UK: countries United Kingdom; carrier DPD."
    )
    composed = compose(
        "who takes my parcel to germany?", ZONES, TopicEmbedder(), ComposeConfig(sentences=1)
    )
    assert composed.text == "Zone EU1: countries Belgium, Germany, Luxembourg, France; carrier DHL."
    assert final_is_supported(composed.text, [ZONES], "who takes my parcel to germany?")


def test_a_sentence_that_needs_the_one_before_it_gets_it():
    faq = Passage(
        id="faq:nl",
        title="How much does shipping to the Netherlands cost?",
        source="faq.csv",
        kind="faq",
        text="Standard shipping in the Netherlands costs €3.95 with PostNL. "
        "It is free for orders from €50. Returns are free too.",
    )
    composed = compose(
        "is it free from some amount?", faq, WordVectors(), ComposeConfig(sentences=1)
    )
    assert composed.pieces == [
        "Standard shipping in the Netherlands costs €3.95 with PostNL.",
        "It is free for orders from €50.",
    ]


def test_product_pieces_leave_out_name_line_and_tags():
    subject, pieces = pieces_of(SUMMIT)
    assert subject == "Summit 45+10 Trekking Pack"
    assert all("Tags" not in p.raw and "FH-OC-0006" not in p.shown for p in pieces)
    assert any(
        p.label == "price" and p.shown == "The Summit 45+10 Trekking Pack costs €179.00."
        for p in pieces
    )
    assert any(p.attribute and p.shown == "weight 1.75 kg" for p in pieces)


def test_a_question_for_the_price_gets_the_price():
    # Without the cue, a question naming the product finds its description nearer than "Price: €179.00."
    composed = compose("how much is the summit pack?", SUMMIT, WordVectors())
    assert composed.text.startswith("The Summit 45+10 Trekking Pack costs €179.00.")


def test_the_opening_of_a_reply_and_its_polarity():
    assert direct_opening("Yes, you can return it within 30 days.") == ("Yes.", "yes")
    assert direct_opening("No, we don't ship there.") == ("No.", "no")
    assert direct_opening("Not for final sale items.") == ("Not for final sale items.", "no")
    assert direct_opening("Standard shipping costs €3.95.") is None
    assert (
        polarity("Final sale items cannot be returned.") == "no"
        and polarity("It is free.") == "yes"
    )


def test_an_opening_is_kept_only_when_the_nearest_sentence_agrees():
    composed = compose(
        "can I return a final sale item?", RETURNS, TopicEmbedder(), ComposeConfig(sentences=1)
    )
    assert composed.nearest == "Final sale items cannot be returned."
    assert opening_agrees("no", composed, "can I return a final sale item?")
    assert not opening_agrees("yes", composed, "can I return a final sale item?")
    assert not opening_agrees("no", composed, "can't I return a final sale item?")  # ambiguous
    # The passage answers the very question with its own "Yes": no opening is added to it.
    same = compose("Do you ship to the UK?", UK, TopicEmbedder(), ComposeConfig(title_match=0.9))
    assert not opening_agrees("yes", same, "Do you ship to the UK?")


def test_a_list_keeps_its_items_on_their_own_lines_after_the_line_leading_into_them():
    payments = Passage(
        id="payments#methods",
        title="Payments > Accepted payment methods",
        source="payments.md",
        kind="section",
        text="Fernhill Goods accepts:\n\n- iDEAL;\n- PayPal;\n- Klarna – pay in 30 days.\n"
        "Cards are charged when you place the order.",
    )
    composed = compose("do you accept paypal?", payments, WordVectors(), ComposeConfig(sentences=1))
    assert composed.text == "Fernhill Goods accepts:\n- PayPal;"
    assert final_is_supported(composed.text, [payments], "do you accept paypal?")


def test_a_product_record_on_one_line_is_read_by_its_sentences():
    tent = Passage(
        id="product:FH-OC-0001",
        title="Cairn 2-Person Backpacking Tent",
        kind="product",
        source="products.json",
        text="Cairn 2-Person Backpacking Tent. Category: Outdoor & Camping > Tents. Weight: 1.9 kg.",
    )
    composed = compose("how heavy is the cairn tent?", tent, WordVectors())
    assert composed.text == "Cairn 2-Person Backpacking Tent: weight 1.9 kg."
