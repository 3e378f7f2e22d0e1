"""The answer benchmark: its hand-labelled facts, its dev/test split, its independent judge and
what it scores of a reply through Rasa."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path

import pytest

from benchmarks import judge as J
from bot.knowledge.ingest import discover_sources, ingest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[3]
_spec = importlib.util.spec_from_file_location(
    "answers_benchmark", ROOT / "benchmarks" / "answers.py"
)
answers = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = answers  # dataclasses look their module up
_spec.loader.exec_module(answers)  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def passages():
    return ingest(discover_sources([ROOT / "knowledge_base"]))


@pytest.fixture(scope="module")
def by_id(passages):
    return {name: p for p in passages for name in p.names()}


@pytest.fixture(scope="module")
def questions(by_id):
    return answers.read_labelled(ROOT / "evaluation" / "knowledge_questions.csv", set(by_id))


def test_every_answerable_question_has_a_must_fact_and_the_unanswerable_ones_none(questions):
    assert len(questions) == 243
    for q in questions:
        if q.answerable:
            assert J.parse_facts(q.must), q.question
        else:
            assert not q.must and not q.must_not, q.question


def test_every_must_fact_is_in_an_expected_passage(questions, by_id):
    """Polarity (YES/NO) is the reply's, not a passage's: a fact made only of it is skipped."""
    for q in questions:
        texts = [by_id[i].text for i in q.expected]
        for fact in J.parse_facts(q.must):
            words = [s for s in fact if s not in J.POLAR]
            assert not words or any(J.contains(t, s) for t in texts for s in words), (
                q.question,
                fact,
            )


def test_no_must_not_fact_is_in_an_expected_passage(questions, by_id):
    """The expected passage itself, sent as the answer, never counts as a false statement."""
    for q in questions:
        for passage_id in q.expected:
            verdict = J.judge(by_id[passage_id].text, q.must, q.must_not)
            assert not verdict.wrong, (q.question, passage_id, verdict.wrong)


def test_an_expected_passage_is_judged_correct_for_nearly_every_question(questions, by_id):
    missed = [
        q.question
        for q in questions
        if q.answerable
        and not any(J.judge(by_id[i].text, q.must, q.must_not).correct for i in q.expected)
    ]
    # "do you ship to switzerland": the zones section's first sentence does not say "no".
    assert missed == ["do you ship to switzerland"]


def test_the_splits_are_balanced_and_stratified(questions):
    for part in (
        questions,
        [q for q in questions if q.answerable],
        [q for q in questions if not q.answerable],
    ):
        share = sum(q.split == "dev" for q in part) / len(part)
        assert 0.4 <= share <= 0.6
    assert {q.split for q in questions if not q.answerable} == {"dev", "test"}
    topics = Counter()
    for q in questions:
        topic = q.expected[0].split("#")[0] if q.expected else "unanswerable"
        topics[topic, q.split] += 1
    for topic in {t for t, _ in topics}:
        assert abs(topics[topic, "dev"] - topics[topic, "test"]) <= 2, topic


def test_the_judge_matches_facts_with_its_own_normalisation():
    assert J.contains("Express to Belgium is 14,95 EUR.", "€14.95")
    assert J.contains("It costs EUR 14.95", "€14.95") and J.contains("14.95 euros", "€14.95")
    assert not J.contains("It costs €145.", "€14.95") and not J.contains("from €500", "€50")
    assert not J.contains("We sell cups and mugs.", "UPS") and J.contains(
        "It ships with UPS.", "UPS"
    )
    assert not J.contains("your bank may take 3–5 business days", "5 business days")
    assert J.contains("Refunds take 2 - 4 business days", "2–4 business days")
    assert J.contains("Agents work 9am to 6 pm", "09:00") and J.contains(
        "Mon–Fri 09:00–18:00", "18:00"
    )
    assert J.contains("It holds six cards", "6 cards") and J.contains("20,000 mAh", "20000 mAh")
    assert J.contains("Wash at 30 degrees", "30 °C") and J.contains("send an E-mail", "email")


def test_the_judge_on_right_wrong_and_refused_replies():
    must, must_not = "€3.95;PostNL", "DHL;€6.95"
    right = J.judge("Standard shipping in the Netherlands costs €3.95 with PostNL.", must, must_not)
    assert right.correct and not right.false_statement
    wrong = J.judge("Shipping in the Netherlands costs €6.95 with PostNL.", must, must_not)
    assert not wrong.correct and wrong.false_statement and wrong.wrong == ("€6.95",)
    from bot.generation.answering import DONT_KNOW

    refusal = J.judge(DONT_KNOW, "NO", "YES")  # its "don't know" is not the answer "no"
    assert refusal.refused and not refusal.correct and not refusal.false_statement
    assert J.is_refusal("I can only help with Fernhill Goods' products, orders, delivery…")
    # As a must_not fact, the polarity counts only as an explicit verdict.
    assert J.judge("No, we don't ship to Canada.", "UPS", "NO").false_statement
    off_topic = J.judge("We don't ship to P.O. boxes.", "UPS", "NO")
    assert not off_topic.correct and not off_topic.false_statement
    assert J.judge("We don't ship to P.O. boxes.", "NO/street addresses only", "YES").correct


@pytest.mark.parametrize(
    "reply, polarity",
    [
        ("Yes, we ship to the UK with DPD.", "YES"),
        ("Of course: gift wrapping costs €3.95.", "YES"),
        ("No, we don't ship to P.O. boxes.", "NO"),
        ("We don't ship to Switzerland. We ship to the EU, the UK, the USA and Canada.", "NO"),
        ("Shipped orders can no longer be cancelled.", "NO"),
        ("Standard shipping costs €3.95. We do not ship to P.O. boxes.", None),
        (
            "If your gift card doesn't cover the whole order, pay the rest with another method.",
            None,
        ),
    ],
)
def test_polarity(reply, polarity):
    assert J.polarity(reply) == polarity
    assert J.fact_present(reply, ("YES",)) == (polarity == "YES")
    assert J.fact_present(reply, ("NO", "street addresses only")) == (polarity == "NO")


def test_facts_are_parsed_with_alternatives_and_an_escaped_slash():
    assert J.parse_facts("€14.95/14.95 euros; DHL ;") == [("€14.95", "14.95 euros"), ("DHL",)]
    assert J.parse_facts(r"24\/7/all day") == [("24/7", "all day")]


def test_the_floor_is_computed_and_well_below_correct_answers(questions, passages, by_id):
    for split in ("dev", "test"):
        part = [q for q in questions if q.split == split]
        assert 0 <= answers.floor_correct(part, passages) < 0.15
    for q in questions[:20]:
        if q.answerable:
            assert not answers.floor_passage(q, passages).names() & set(q.expected)
    assert answers.floor_passage(questions[0], passages) is answers.floor_passage(
        questions[0], passages
    )


def _scored(answerable, refused, correct=False, false=False, split="dev"):
    return answers.Scored(
        split=split,
        answerable=answerable,
        refused=refused,
        correct=correct,
        false_statement=false,
        grounded=True,
        generated=True,
        fallback=False,
        latency_ms=10.0,
    )


def test_summarise_counts_false_statements_among_the_answers_sent():
    scored = [
        _scored(True, False, correct=True),
        _scored(True, False, false=True),
        _scored(True, True),
        _scored(False, True),
        _scored(False, False, false=True),
    ]
    figures = answers.summarise(scored, floor=0.05)
    assert figures["correct"] == round(1 / 3, 4) and figures["floor_correct"] == 0.05
    assert figures["false_statement"] == round(2 / 3, 4)
    assert figures["false_statement_answerable"] == 0.5 and figures["answered_unanswerable"] == 1
    assert figures["refusal_unanswerable"] == 0.5 and figures["refusal_answerable"] == round(
        1 / 3, 4
    )
    assert "unsupported_final" not in figures


def test_only_the_messages_up_to_the_sources_card_are_the_answer():
    card = {"custom": {"data": {"type": "sources", "sources": []}}}
    products = {"custom": {"data": {"type": "products", "products": []}}}
    offer = {"text": "If you'd like me to look at one of your orders, what's the order number?"}
    messages = [
        {"text": "A packed order costs €4.95 to cancel."},
        {"text": "Sources: Cancellations"},
        card,
        products,
        offer,
    ]
    assert answers.answer_messages(messages) == messages[:3]
    refusal = [{"text": "I'm sorry, I don't know that."}, {"text": "Talk to a person?"}]
    assert answers.answer_messages(refusal) == refusal
