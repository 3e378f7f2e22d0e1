"""The answer modes: generate (the fallback now composed), compose (no model) and hybrid."""

from __future__ import annotations

import pytest

from bot.generation.answering import DONT_KNOW, AnswerConfig, Answerer
from bot.generation.generator import Generation
from bot.knowledge.passages import Passage
from bot.knowledge.retrieve import RetrievedPassage

pytestmark = pytest.mark.unit

SUMMIT = Passage(
    id="product:FH-OC-0006",
    title="Summit 45+10 Trekking Pack",
    source="products.json",
    kind="product",
    text="Summit 45+10 Trekking Pack (FH-OC-0006).\nCategory: Outdoor & Camping > Backpacks.\nPrice: €179.00.\n"
    "In stock.\nA trekking backpack for hut-to-hut hikes and weekends under canvas.\nColour: graphite.\n"
    "Material: recycled 420D nylon, aluminium frame.\nWeight: 1.75 kg.\nTags: backpack, trekking, hiking.",
)
FINAL_SALE = Passage(
    id="returns#final-sale",
    title="Returns > Final sale items",
    source="returns.md",
    kind="section",
    text="Swimwear and earrings are sold as final sale for hygiene reasons. Final sale items cannot be returned "
    "or exchanged. A faulty final sale item is still covered by the legal guarantee.",
)
UK = Passage(
    id="faq:faq-shipping-06",
    title="Do you ship to the UK?",
    question="Do you ship to the UK?",
    source="faq.csv",
    kind="faq",
    text="Yes, with DPD: standard delivery takes 3–5 business days and costs €12.95, free from €120. "
    "There is no express option for the UK.",
)


class ScriptedGenerator:
    name = "scripted"

    def __init__(self, reply: str) -> None:
        self.reply = reply
        self.calls = 0

    def generate(self, messages, *, max_new_tokens: int, time_limit_s: float) -> Generation:
        self.calls += 1
        return Generation(self.reply, len(self.reply.split()), 0.01)


class FixedRetriever:
    def __init__(self, *passages: Passage, confidence: float = 0.7) -> None:
        self.passages = list(passages)
        self.confidence = confidence

    def retrieve(self, query: str, k: int = 5) -> list[RetrievedPassage]:
        return [
            RetrievedPassage(p, 0.8, self.confidence, 0.5, self.confidence) for p in self.passages
        ][:k]


def ask(mode: str, reply: str, question: str, *passages: Passage, confidence: float = 0.7):
    generator = ScriptedGenerator(reply)
    answerer = Answerer(
        FixedRetriever(*passages, confidence=confidence), generator, AnswerConfig(mode=mode)
    )
    return answerer.answer(question), generator


def test_the_fallback_of_a_product_question_is_a_sentence_not_the_record():
    answer, _ = ask(
        "generate", "The Summit pack costs €99.", "how much is the summit trekking pack?", SUMMIT
    )
    assert answer.fallback and answer.composed
    assert answer.text.startswith("The Summit 45+10 Trekking Pack costs €179.00.")
    assert (
        " | " not in answer.text and "FH-OC-0006" not in answer.text and answer.sources == [SUMMIT]
    )


def test_compose_mode_never_asks_the_model():
    answer, generator = ask("compose", "unused", "can I return a final sale item?", FINAL_SALE)
    assert generator.calls == 0 and answer.composed and answer.mode == "compose"
    assert "Final sale items cannot be returned or exchanged." in answer.text
    assert answer.generated is None and not answer.fallback


def test_compose_mode_refuses_a_weak_match_lacking_what_was_named():
    gaps: list[str] = []
    generator = ScriptedGenerator("unused")
    answerer = Answerer(
        FixedRetriever(UK, confidence=0.45), generator, AnswerConfig(mode="compose")
    )
    answer = answerer.answer("do you sell refurbished phones", on_gap=gaps.append)
    assert (
        answer.refused and answer.text == DONT_KNOW and gaps == ["do you sell refurbished phones"]
    )


def test_hybrid_keeps_the_models_no_when_the_passage_agrees():
    answer, _ = ask(
        "hybrid",
        "No, final sale items can't be returned.",
        "can I return a final sale item?",
        FINAL_SALE,
    )
    assert answer.mode == "hybrid" and answer.grounded and not answer.fallback and answer.composed
    assert (
        answer.text.startswith("No. ")
        and "Final sale items cannot be returned or exchanged." in answer.text
    )


def test_hybrid_drops_an_opening_whose_polarity_the_passage_does_not_share():
    answer, _ = ask(
        "hybrid",
        "Yes, you can return final sale items.",
        "can I return a final sale item?",
        FINAL_SALE,
    )
    assert not answer.text.lower().startswith("yes")
    assert "Final sale items cannot be returned or exchanged." in answer.text


def test_hybrid_adds_no_opening_to_a_question_that_is_not_yes_or_no():
    answer, _ = ask(
        "hybrid", "Yes, the pack costs €179.00.", "how much is the summit trekking pack?", SUMMIT
    )
    assert answer.text.startswith("The Summit 45+10 Trekking Pack costs €179.00.")


def test_a_faq_yes_to_another_question_is_not_sent_in_any_mode():
    for mode in ("generate", "compose", "hybrid"):
        answer, _ = ask(mode, "Shipping costs €99.", "can I get express delivery to the UK?", UK)
        assert not answer.text.lower().startswith("yes"), mode
        assert "DPD" in answer.text


def test_hybrid_keeps_the_refusal_rules():
    gaps: list[str] = []
    generator = ScriptedGenerator("I don't know.")
    answerer = Answerer(FixedRetriever(UK, confidence=0.45), generator, AnswerConfig(mode="hybrid"))
    answer = answerer.answer("who is your CEO?", on_gap=gaps.append)
    assert answer.refused and gaps == ["who is your CEO?"]
    restated, _ = ask(
        "hybrid",
        "The CEO of Fernhill Goods is Fernhill Goods.",
        "who is the CEO of fernhill goods",
        UK,
    )
    assert restated.refused


def test_an_unknown_mode_is_a_clear_error():
    with pytest.raises(ValueError, match="mode must be one of generate, compose, hybrid"):
        AnswerConfig(mode="creative")


def test_a_reply_cut_off_by_the_time_limit_is_no_restatement():
    # "The" (the limit struck after one word) holds no new word, but it is no answer either: the
    # composed sentences are sent, not a refusal.
    for mode in ("generate", "hybrid"):
        answer, _ = ask(mode, "The", "how much is the summit trekking pack?", SUMMIT)
        assert not answer.refused and answer.fallback, mode
        assert answer.text.startswith("The Summit 45+10 Trekking Pack costs €179.00."), mode
