"""Knowledge questions classified as another intent still reach the knowledge base."""

from __future__ import annotations

import pytest

from bot.conversation.routing import (
    FIXED_RESPONSES,
    asks_about_named_product,
    asks_about_product_in_focus,
    is_product_search,
    knowledge_first,
    names_order_data,
    refines_suggestions,
    upset_order_task,
)
from bot.knowledge.passages import Passage
from bot.knowledge.retrieve import RetrievedPassage
from tests.unit.actions.conftest import DOMAIN

pytestmark = pytest.mark.unit

NEWSLETTER = Passage(
    id="faq:faq-newsletter-01",
    title="FAQ > Is there a welcome discount for newsletter subscribers?",
    text="Yes: new subscribers get a 10% welcome code by e-mail.",
    source="knowledge_base/faq.yml",
    kind="faq",
    url="https://fernhill-goods.example/help/faq#faq-newsletter-01",
)


class FixedRetriever:
    """Finds one passage with a given confidence and remembers the queries."""

    def __init__(self, confidence: float) -> None:
        self.confidence = confidence
        self.queries: list[str] = []

    def retrieve(self, query: str, k: int = 5) -> list[RetrievedPassage]:
        self.queries.append(query)
        return [RetrievedPassage(NEWSLETTER, 0.8, self.confidence, 0.5, self.confidence)]


def test_a_confident_passage_wins_over_the_intent():
    question = "is there a welcome discount if I subscribe to your emails"
    assert knowledge_first(question, retriever=FixedRetriever(0.7), min_confidence=0.5)
    assert not knowledge_first(question, retriever=FixedRetriever(0.45), min_confidence=0.5)


@pytest.mark.parametrize(
    "text",
    ["change the e-mail of order A1004", "my e-mail is ann@example.com", "/create_account", ""],
)
def test_order_data_buttons_and_empty_messages_never_detour(text):
    retriever = FixedRetriever(0.95)
    assert not knowledge_first(text, retriever=retriever, min_confidence=0.5)
    assert retriever.queries == []


def test_order_data_is_recognised():
    assert names_order_data("where is #a-1004 please")
    assert names_order_data("it's ann@example.com")
    assert not names_order_data("how do I open an account")


def test_every_fixed_response_exists_in_the_domain():
    assert set(FIXED_RESPONSES.values()) <= set(DOMAIN["responses"])
    assert set(FIXED_RESPONSES) <= set(DOMAIN["intents"])


@pytest.mark.parametrize(
    ("text", "task"),
    [
        ("still no sign of my order?? terrible service", "track_order"),
        ("I'm really angry, nobody answers my emails about my refund", "track_refund"),
        ("worst experience ever, cancel my order now", "cancel_order"),
        ("this is ridiculous, my parcel is two weeks late", "track_order"),
        ("how long does my refund take?", None),  # calm
        ("I paid but my order still says pending after an hour", None),  # impatient, a question
        ("this is ridiculous, your prices went up", None),  # not about an order of theirs
    ],
)
def test_upset_messages_about_the_shoppers_own_order(text, task):
    assert upset_order_task(text) == task


NAMES = ["Corran Waterproof Hiking Boots", "Cadence Over-Ear Headphones", "Meadow Hand Cream Trio"]


@pytest.mark.parametrize(
    "text",
    [
        "are the corran hiking boots waterproof",
        "Does the Cadence headphones fold flat?",
        "is the meadow trio unscented",
    ],
)
def test_a_yes_no_question_about_a_named_product_is_for_the_knowledge_base(text):
    assert asks_about_named_product(text, NAMES)


@pytest.mark.parametrize(
    "text",
    [
        "do you sell kids rain boots",  # shopping, not a question about one product
        "do you have cadence earbuds in white",
        "are there any corran boots in size 44",
        "can you recommend headphones like the cadence",
        "corran boots under 150",  # no question
        "are these boots waterproof",  # no product named
        "",
    ],
)
def test_requests_to_find_something_stay_recommendations(text):
    assert not asks_about_named_product(text, NAMES)


@pytest.mark.parametrize(
    "text",
    ["a winter coat", "linen trousers in size L", "a green backpack under 80 euros", "sandals"],
)
def test_a_message_that_only_names_a_kind_of_product_is_a_search(text):
    assert is_product_search(text, NAMES)


@pytest.mark.parametrize(
    "text",
    [
        "is the tent waterproof",  # a question
        "how warm is the down jacket",
        "a winter coat?",
        "corran boots",  # a product named by its line: about that product
        "hello there",  # no kind of product
        "a refund please",
        "the headphones were broken straight out of the box",  # a statement, not a search
        "my winter coat leaks",
        "I bought a winter coat last week and the zip broke after two days of wearing it",
        "",
    ],
)
def test_questions_named_products_and_other_messages_are_no_search(text):
    assert not is_product_search(text, NAMES)


def _after(*actions: str) -> list[dict]:
    return [
        {"event": "user", "text": "sandals", "timestamp": 1.0},
        *({"event": "action", "name": name, "timestamp": 1.0} for name in actions),
        {"event": "user", "text": "next", "timestamp": 2.0},
    ]


@pytest.mark.parametrize("text", ["in size 45", "under 50 euros", "not leather", "in blue?"])
def test_a_constraint_right_after_suggestions_refines_them(text):
    assert refines_suggestions(text, _after("action_recommend", "action_listen"))


@pytest.mark.parametrize(
    ("text", "actions"),
    [
        ("in size 45", ("action_answer_knowledge", "action_listen")),  # no suggestions shown
        ("a winter coat", ("action_recommend", "action_listen")),  # another kind: a new search
        ("hello there", ("action_recommend", "action_listen")),  # no constraint
    ],
)
def test_other_messages_do_not_refine_suggestions(text, actions):
    assert not refines_suggestions(text, _after(*actions))


FOCUS = "Larkspur 22L Roll-Top Backpack"


@pytest.mark.parametrize(
    "text",
    ["does this backpack fit a 15 inch laptop?", "is it machine washable", "are these vegan?"],
)
def test_a_yes_no_question_about_the_product_in_focus_is_for_the_knowledge_base(text):
    assert asks_about_product_in_focus(text, FOCUS)


@pytest.mark.parametrize(
    ("text", "focus"),
    [
        ("does this backpack fit a 15 inch laptop?", None),  # no product in focus
        ("do you have this in blue?", FOCUS),  # shopping
        ("is there anything like this under 50?", FOCUS),
        ("a backpack like this one", FOCUS),  # no question
        ("is the tent waterproof", FOCUS),  # not about the product in focus
    ],
)
def test_other_messages_are_not_about_the_product_in_focus(text, focus):
    assert not asks_about_product_in_focus(text, focus)
