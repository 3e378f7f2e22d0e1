"""The product in focus: the page's product, else the latest answer's; follow-ups lean on it."""

from __future__ import annotations

import pytest

from bot.conversation.focus import (
    focused_query,
    listed_product,
    ordinal_of,
    page_product,
    product_in_focus,
    question_in_focus,
    refers_back,
    subject_in_focus,
    topic_in_focus,
)
from bot.conversation.knowledge_answers import contextual_query, is_follow_up

pytestmark = pytest.mark.unit

NAMES = {"FH-BA-0001": "Larkspur 22L Roll-Top Backpack"}


def user(text: str, metadata: dict | None = None) -> dict:
    return {"event": "user", "text": text, "metadata": metadata or {}, "parse_data": {}}


def answer(source_id: str, title: str) -> dict:
    card = {"type": "sources", "sources": [{"id": source_id, "title": title, "url": None}]}
    return {"event": "bot", "text": "…", "data": {"custom": card}}


def test_the_latest_product_answer_is_in_focus():
    events = [
        user("is the Larkspur backpack waterproof?"),
        answer("product:FH-BA-0001", "Larkspur 22L Roll-Top Backpack"),
        user("how much is it?"),
    ]
    assert product_in_focus(events, NAMES.get) == "Larkspur 22L Roll-Top Backpack"


def test_an_answer_about_something_else_moves_the_focus_away():
    events = [
        user("is the Larkspur backpack waterproof?"),
        answer("product:FH-BA-0001", "Larkspur 22L Roll-Top Backpack"),
        user("how long does delivery to Germany take?"),
        answer("faq:faq-shipping-02", "How long does delivery to Germany take?"),
        user("is it free?"),
    ]
    assert product_in_focus(events, NAMES.get) is None


def test_the_page_product_wins_on_a_product_page():
    events = [
        user("is the tent waterproof?"),
        answer("product:FH-OU-0003", "Tarn Two-Person Tent"),
        user("does this backpack fit a 15 inch laptop?", {"page_product": "FH-BA-0001"}),
    ]
    assert page_product(events) == "FH-BA-0001"
    assert product_in_focus(events, NAMES.get) == "Larkspur 22L Roll-Top Backpack"


@pytest.mark.parametrize("value", ["", "<script>", "x" * 80, 42])
def test_implausible_page_products_are_ignored(value):
    assert page_product([user("hi", {"page_product": value})]) is None


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("how much is it?", True),
        ("does it fit a 15 inch laptop?", True),
        ("in black?", True),
        ("is that one waterproof", True),
        ("is the Larkspur backpack waterproof?", False),
        ("how long does delivery to Germany take?", False),
        ("/track_order", False),
    ],
)
def test_which_messages_refer_back(message, expected):
    assert refers_back(message) is expected


def test_a_follow_up_is_retrieved_with_the_product_in_front():
    product = "Larkspur 22L Roll-Top Backpack"
    assert focused_query("how much is it?", product) == f"{product}: how much is it?"
    assert focused_query("how much is the tent?", product) == "how much is the tent?"
    assert focused_query("how much is it?", None) == "how much is it?"
    assert contextual_query("and in black?", "how much is it?", product) == (
        f"{product}: how much is it? and in black?"
    )


def products_shown(*names: str) -> dict:
    items = [{"sku": f"FH-X-{i}", "name": n} for i, n in enumerate(names)]
    return {"event": "bot", "text": "", "data": {"custom": {"type": "products", "products": items}}}


@pytest.mark.parametrize(
    ("message", "place"),
    [
        ("how much is the second one?", 1),
        ("is the 3rd one waterproof", 2),
        ("and the last one?", -1),
        ("I'll take the first", 0),
        ("is this the first time you ship abroad?", None),
        ("how much is it?", None),
    ],
)
def test_ordinals(message, place):
    assert ordinal_of(message) == place


def test_the_second_one_is_the_second_product_shown():
    events = [
        user("which backpacks do you have?"),
        answer("product:FH-BA-0001", "Larkspur 22L Roll-Top Backpack"),
        products_shown("Larkspur 22L Roll-Top Backpack", "Larkspur 15-inch Laptop Backpack"),
        user("how much is the second one?"),
    ]
    assert product_in_focus(events, NAMES.get) == "Larkspur 15-inch Laptop Backpack"
    events[-1] = user("is the third one waterproof?")
    assert listed_product(events) is None  # only two were shown
    events[-1] = user("how much is it?")
    assert product_in_focus(events, NAMES.get) == "Larkspur 22L Roll-Top Backpack"


def test_a_short_question_that_refers_back_leans_on_the_latest_topic():
    events = [
        user("how long does delivery to Germany take?"),
        answer("faq:faq-shipping-02", "How long does delivery to Germany take?"),
        user("is it free?"),
    ]
    assert topic_in_focus(events) == "How long does delivery to Germany take?"
    assert subject_in_focus(events, NAMES.get) == "How long does delivery to Germany take?"
    events[-1] = user("can I pay with PayPal when I order from Germany?")
    assert subject_in_focus(events, NAMES.get) is None


def test_a_follow_up_leans_on_the_question_it_follows_up():
    texts = ["how much is delivery to France?", "and for Germany?", "and Spain?"]
    assert question_in_focus(texts, is_follow_up) == "how much is delivery to France?"
    assert question_in_focus(["and Spain?"], is_follow_up) is None
    assert question_in_focus(["hi", "how much is it?"], is_follow_up) == "hi"
    assert contextual_query("and for Germany?", "how much is delivery to France?") == (
        "how much is delivery to France? and for Germany?"
    )
