"""Knowledge routing in the actions: intents with a fixed response get the knowledge base's
answer when it clearly holds one; follow-ups and product pages bring the product in focus."""

from __future__ import annotations

import pytest

from actions.handoff import ActionComplaint
from actions.knowledge import ActionAnswerKnowledge, ActionAnswerOrClarify, ActionAnswerOrRespond
from actions.orders import ActionSetOrderTask
from bot.knowledge.passages import Passage
from tests.unit.actions.conftest import DOMAIN, make_tracker
from tests.unit.actions.test_other_actions import PAYMENTS

pytestmark = pytest.mark.unit


async def test_a_confident_answer_replaces_the_fixed_response(dispatcher, knowledge):
    knowledge(PAYMENTS, 0.8)
    tracker = make_tracker(text="can I pay with klarna", intent="contact_customer_service")
    await ActionAnswerOrRespond().run(dispatcher, tracker, DOMAIN)
    assert dispatcher.messages[0]["custom"]["data"]["sources"][0]["id"] == PAYMENTS.id
    assert dispatcher.messages[0]["response"] is None


@pytest.mark.parametrize(
    ("text", "intent", "confidence", "response"),
    [
        ("how do I delete my account", "delete_account", 0.3, "utter_delete_account"),
        ("what's the weather in Paris", "out_of_scope", 0.2, "utter_out_of_scope"),
        ("/out_of_scope", "out_of_scope", 0.9, "utter_out_of_scope"),
        ("change the e-mail of A1004", "edit_account", 0.9, "utter_edit_account"),
    ],
)
async def test_otherwise_the_intent_keeps_its_response(
    dispatcher, knowledge, text, intent, confidence, response
):
    knowledge(PAYMENTS, confidence)
    await ActionAnswerOrRespond().run(dispatcher, make_tracker(text=text, intent=intent), DOMAIN)
    assert [m["response"] for m in dispatcher.messages] == [response]
    assert knowledge.gaps == []


BACKPACK = Passage(
    id="product:FH-BA-0001",
    title="Larkspur 22L Roll-Top Backpack",
    text="Larkspur 22L Roll-Top Backpack (FH-BA-0001). A padded sleeve holds a 15-inch laptop.",
    source="knowledge_base/products.json",
    kind="product",
    url="https://fernhill-goods.example/products/FH-BA-0001",
    sku="FH-BA-0001",
)


async def test_this_on_a_product_page_means_the_page_product(dispatcher, knowledge):
    retriever = knowledge(BACKPACK, 0.8)
    retriever.passages = [BACKPACK]  # the loaded index's passages, where SKUs are looked up
    tracker = make_tracker(
        text="does this backpack fit a 15 inch laptop?", intent="product_question"
    )
    tracker.events[-1]["metadata"] = {"page_product": "FH-BA-0001"}
    await ActionAnswerKnowledge().run(dispatcher, tracker, DOMAIN)
    assert retriever.queries[-1] == (
        "Larkspur 22L Roll-Top Backpack: does this backpack fit a 15 inch laptop?"
    )
    assert dispatcher.messages[0]["custom"]["data"]["sources"][0]["id"] == BACKPACK.id


async def test_a_follow_up_leans_on_the_product_of_the_previous_answer(dispatcher, knowledge):
    retriever = knowledge(BACKPACK, 0.8)
    tracker = make_tracker(text="how much is it?", intent="nlu_fallback")
    card = {"type": "sources", "sources": [{"id": BACKPACK.id, "title": BACKPACK.title}]}
    tracker.events[:0] = [
        {"event": "user", "text": "is the Larkspur backpack waterproof?", "parse_data": {}},
        {"event": "bot", "text": "Yes.", "data": {"custom": card}},
    ]
    await ActionAnswerOrClarify().run(dispatcher, tracker, DOMAIN)
    assert retriever.queries[0] == "Larkspur 22L Roll-Top Backpack: how much is it?"
    assert dispatcher.messages[0]["custom"]["data"]["sources"][0]["id"] == BACKPACK.id


REFUNDS = Passage(
    id="refunds#how-long-refunds-take",
    title="Refunds > How long refunds take",
    text="Refunds reach your account within 5 business days after we receive the return.",
    source="knowledge_base/policies/refunds.md",
    kind="section",
    url="https://fernhill-goods.example/help/refunds#how-long-refunds-take",
)


async def test_a_question_with_a_task_is_answered_and_the_task_starts(dispatcher, knowledge):
    retriever = knowledge(REFUNDS, 0.8)
    tracker = make_tracker(
        text="how long do refunds take? also cancel my order A1004", intent="check_refund_policy"
    )
    events = await ActionAnswerKnowledge().run(dispatcher, tracker, DOMAIN)
    assert retriever.queries == ["how long do refunds take?"]
    assert "5 business days" in dispatcher.messages[0]["text"]
    assert {"event": "slot", "timestamp": None, "name": "order_task", "value": "cancel_order"} in (
        events
    )
    assert events[-1]["event"] == "followup" and events[-1]["name"] == "order_form"


async def test_a_task_with_a_question_answers_the_question_first(dispatcher, knowledge):
    retriever = knowledge(REFUNDS, 0.8)
    tracker = make_tracker(text="cancel A1004 and how long do refunds take?", intent="cancel_order")
    events = await ActionSetOrderTask().run(dispatcher, tracker, DOMAIN)
    assert retriever.queries[-1] == "how long do refunds take?"
    assert "5 business days" in dispatcher.messages[0]["text"]
    assert events[-2]["name"] == "order_task" and events[-2]["value"] == "cancel_order"


async def test_an_upset_message_about_an_own_order_starts_the_task(dispatcher, knowledge):
    retriever = knowledge(REFUNDS, 0.8)
    tracker = make_tracker(
        text="still no sign of my order?? terrible service", intent="delivery_period"
    )
    events = await ActionAnswerKnowledge().run(dispatcher, tracker, DOMAIN)
    assert events[-1]["event"] == "followup" and events[-1]["name"] == "action_set_order_task"
    assert dispatcher.messages == [] and retriever.queries == []
    events = await ActionSetOrderTask().run(dispatcher, tracker, DOMAIN)
    assert events[0]["name"] == "order_task" and events[0]["value"] == "track_order"
    assert events[-1]["name"] == "order_form"


async def test_a_complaint_about_a_late_parcel_looks_at_the_order(dispatcher):
    tracker = make_tracker(
        text="this is ridiculous, my parcel is two weeks late", intent="complaint"
    )
    events = await ActionComplaint().run(dispatcher, tracker, DOMAIN)
    assert dispatcher.messages == []
    assert events == [{"event": "followup", "timestamp": None, "name": "action_set_order_task"}]
