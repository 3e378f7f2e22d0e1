"""A question about how orders work that starts the order form is answered first."""

from __future__ import annotations

import pytest

from actions.orders import ActionAskOrderNumber
from bot.conversation.order_questions import ASK_AS_OFFER, asks_how_things_work
from bot.knowledge import service
from bot.knowledge.passages import Passage
from tests.unit.actions.conftest import DOMAIN, make_tracker

pytestmark = pytest.mark.unit

PACKED_FEE = Passage(
    id="cancellations-and-changes#cancelling-a-packed-order",
    title="Cancellations > Cancelling a packed order",
    text="Once an order is packed, cancelling it costs a €4.95 handling fee. Shipped orders cannot be cancelled.",
    source="knowledge_base/policies/cancellations-and-changes.md",
    kind="section",
    url="https://fernhill-goods.example/help/cancellations-and-changes#cancelling-a-packed-order",
)


def form_started_by(text: str, intent: str = "check_cancellation_fee"):
    tracker = make_tracker(
        text=text, intent=intent, active_loop="order_form", slots={"requested_slot": "order_id"}
    )
    tracker.events += [
        {"event": "action", "name": "action_set_order_task"},
        {"event": "action", "name": "order_form"},
    ]
    return tracker


async def test_the_answer_comes_first_and_the_number_is_asked_as_an_offer(dispatcher, knowledge):
    knowledge(PACKED_FEE, 0.7)
    tracker = form_started_by("is there a fee to cancel once the order is packed?")
    assert await ActionAskOrderNumber().run(dispatcher, tracker, DOMAIN) == []
    answer, offer = dispatcher.messages
    assert "€4.95 handling fee" in answer["text"]
    assert answer["custom"]["data"]["sources"][0]["id"] == PACKED_FEE.id
    assert offer["text"] == ASK_AS_OFFER
    assert knowledge.gaps == []


@pytest.mark.parametrize(
    ("text", "confidence", "started"),
    [
        (
            "is there a fee to cancel once the order is packed?",
            0.3,
            True,
        ),  # the knowledge base is unsure
        ("is there a fee to cancel order A1004?", 0.7, True),  # about an order of theirs
        ("cancel my order please", 0.7, True),  # a request, not a question
        ("/check_cancellation_fee", 0.7, True),  # a button
        (
            "is there a fee to cancel once the order is packed?",
            0.7,
            False,
        ),  # asked again after a wrong number
    ],
)
async def test_otherwise_the_order_number_is_asked_for_as_before(
    dispatcher, knowledge, text, confidence, started
):
    retriever = knowledge(PACKED_FEE, confidence)
    tracker = (
        form_started_by(text) if started else make_tracker(text=text, active_loop="order_form")
    )
    await ActionAskOrderNumber().run(dispatcher, tracker, DOMAIN)
    assert [m["response"] for m in dispatcher.messages] == ["utter_ask_order_form_order_id"]
    assert knowledge.gaps == []
    if confidence > 0.5 and started:
        assert retriever.queries == []  # no retrieval for what is no question about how things work


async def test_a_broken_knowledge_base_still_gets_the_plain_question(dispatcher, monkeypatch):
    def broken():
        raise RuntimeError("index exploded")

    monkeypatch.setattr(service, "get_holder", broken)
    await ActionAskOrderNumber().run(dispatcher, form_started_by("what does packed mean?"), DOMAIN)
    assert [m["response"] for m in dispatcher.messages] == ["utter_ask_order_form_order_id"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("what does it mean when my order is packed", True),
        ("How many days do I have to send back a face cream?", True),
        ("my parcel is already on its way, can i still cancel?", True),
        ("where is my order A1004?", False),
        ("where is my order a-1004", False),
        ("my e-mail is ann@example.com, where is my order?", False),
        ("I want to cancel my order", False),
        ("my order status says pending what does that mean", True),
        ("tracking hasnt updated in a week what do i do", True),
        ("you guys are useless, where is my parcel??", False),
        ("where's my refund?", False),
        ("can you check my order", False),
        ("", False),
    ],
)
def test_questions_about_how_things_work(text, expected):
    assert asks_how_things_work(text) is expected


async def test_an_upset_shopper_gets_an_acknowledgement_before_the_question(dispatcher, knowledge):
    knowledge(PACKED_FEE, 0.3)
    tracker = form_started_by(
        "I'm so frustrated, my refund still hasn't arrived after 3 weeks", intent="track_refund"
    )
    tracker.slots["order_task"] = "track_refund"
    await ActionAskOrderNumber().run(dispatcher, tracker, DOMAIN)
    [message] = dispatcher.messages
    assert "sorry" in message["text"].lower() and "refund" in message["text"].lower()
    assert "order number" in message["text"]


async def test_an_upset_shopper_asked_again_gets_the_plain_question(dispatcher, knowledge):
    knowledge(PACKED_FEE, 0.3)
    tracker = make_tracker(
        text="you guys are useless, where is my parcel??", active_loop="order_form"
    )
    await ActionAskOrderNumber().run(dispatcher, tracker, DOMAIN)
    assert [m["response"] for m in dispatcher.messages] == ["utter_ask_order_form_order_id"]
