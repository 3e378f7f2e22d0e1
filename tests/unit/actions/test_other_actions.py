"""Fallback, knowledge and handoff actions with real trackers."""

from __future__ import annotations

import pytest

from actions.fallback import ActionDefaultAskAffirmation
from actions.handoff import ActionHandoff
from actions.knowledge import ActionAnswerKnowledge
from bot.knowledge.passages import Passage
from tests.unit.actions.conftest import DOMAIN, make_tracker

pytestmark = pytest.mark.unit


async def test_unclear_message_offers_readable_choices(dispatcher):
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.6},
        {"name": "track_order", "confidence": 0.3},
        {"name": "delivery_period", "confidence": 0.2},
    ]
    tracker = make_tracker(text="parcel??", intent="nlu_fallback", ranking=ranking)
    assert await ActionDefaultAskAffirmation().run(dispatcher, tracker, DOMAIN) == []
    [message] = dispatcher.messages
    assert [b["title"] for b in message["buttons"]] == [
        "Track an order",
        "Delivery times",
        "Something else",
    ]
    assert [b["payload"] for b in message["buttons"]] == [
        "/track_order",
        "/delivery_period",
        "/out_of_scope",
    ]


@pytest.mark.parametrize(
    ("text", "response"),
    [
        ("", "utter_empty_message"),
        ("🙂🙂", "utter_no_text"),
        ("a" * 5000, "utter_message_too_long"),
        ("Wo ist meine Bestellung, ich warte schon lange", "utter_please_rephrase_language"),
    ],
)
async def test_unreadable_messages_get_an_explanation(dispatcher, text, response):
    tracker = make_tracker(text=text, intent="nlu_fallback")
    await ActionDefaultAskAffirmation().run(dispatcher, tracker, DOMAIN)
    assert [m["response"] for m in dispatcher.messages] == [response]
    assert response in DOMAIN["responses"]


PAYMENTS = Passage(
    id="payments#accepted-payment-methods",
    title="Payments > Accepted payment methods",
    text="Fernhill Goods accepts:\n\n- iDEAL;\n- PayPal;\n- Klarna – pay in 30 days.",
    source="knowledge_base/policies/payments.md",
    kind="section",
    url="https://fernhill-goods.example/help/payments#accepted-payment-methods",
)


async def test_knowledge_question_is_answered_from_the_best_passage_with_its_source(
    dispatcher, knowledge
):
    knowledge(PAYMENTS)
    tracker = make_tracker(text="do you accept paypal?", intent="check_payment_methods")
    assert await ActionAnswerKnowledge().run(dispatcher, tracker, DOMAIN) == []
    [message] = dispatcher.messages
    assert "- PayPal;" in message["text"]
    assert message["text"].endswith("Sources: Payments > Accepted payment methods")
    assert message["custom"] == {
        "data": {
            "type": "sources",
            "sources": [{"id": PAYMENTS.id, "title": PAYMENTS.title, "url": PAYMENTS.url}],
            "answer": {"grounded": False, "fallback": False, "generated": False, "too_slow": False},
        }
    }


async def test_on_the_web_widget_the_sources_come_once_as_the_card(dispatcher, knowledge):
    knowledge(PAYMENTS)
    tracker = make_tracker(text="do you accept paypal?", intent="check_payment_methods")
    tracker.events[-1]["input_channel"] = "socketio"
    await ActionAnswerKnowledge().run(dispatcher, tracker, DOMAIN)
    [message] = dispatcher.messages
    assert "Sources" not in message["text"]
    assert message["custom"]["data"]["sources"][0]["id"] == PAYMENTS.id


TENT = Passage(
    id="product:FH-OC-0001",
    title="Cairn 2-Person Backpacking Tent",
    sku="FH-OC-0001",
    kind="product",
    text="Cairn 2-Person Backpacking Tent. Category: Outdoor & Camping > Tents. Weight: 1.9 kg.",
    source="knowledge_base/products.json",
    url="https://fernhill-goods.example/products/FH-OC-0001",
)


async def test_a_product_answer_is_followed_by_the_products_card_from_the_catalogue(
    dispatcher, knowledge
):
    knowledge(TENT)
    tracker = make_tracker(text="do you have a light tent for two?", intent="product_question")
    tracker.events[-1]["input_channel"] = "socketio"
    await ActionAnswerKnowledge().run(dispatcher, tracker, DOMAIN)
    answer, products = dispatcher.messages
    assert answer["custom"]["data"]["type"] == "sources" and "Cairn 2-Person" in answer["text"]
    assert products["text"] is None
    [tent] = products["custom"]["data"]["products"]
    # The figures of knowledge_base/products.json, which the shop's product page shows too.
    assert tent == {
        "sku": "FH-OC-0001",
        "name": "Cairn 2-Person Backpacking Tent",
        "price": "289.00",
        "currency": "EUR",
        "stock": 14,
        "image": "/images/products/FH-OC-0001.svg",
        "url": "/products/FH-OC-0001",
    }


async def test_unanswerable_question_gets_an_honest_answer_and_a_person(dispatcher, knowledge):
    knowledge(None)
    tracker = make_tracker(text="do you accept bitcoin?", intent="check_payment_methods")
    assert await ActionAnswerKnowledge().run(dispatcher, tracker, DOMAIN) == []
    [message] = dispatcher.messages
    assert "I don't know that" in message["text"] and "Sources" not in message["text"]
    assert message["buttons"] == [{"title": "Talk to a person", "payload": "/contact_human_agent"}]
    assert knowledge.gaps == [
        ("do you accept bitcoin?", "unit-test", None, "check_payment_methods")
    ]


async def test_a_follow_up_is_asked_together_with_the_previous_question(dispatcher, knowledge):
    retriever = knowledge(PAYMENTS)
    tracker = make_tracker(text="and for express?", intent="delivery_options")
    tracker.events.insert(0, {"event": "user", "text": "how much is shipping to germany?"})
    await ActionAnswerKnowledge().run(dispatcher, tracker, DOMAIN)
    assert retriever.queries == ["how much is shipping to germany? and for express?"]


async def test_handoff_gives_contact_details(dispatcher, handoff_database):
    await ActionHandoff().run(dispatcher, make_tracker(intent="contact_human_agent"), DOMAIN)
    assert "support@fernhill-goods.example" in dispatcher.messages[0]["text"]


async def test_a_verified_shoppers_name_reaches_the_answer(
    dispatcher, knowledge, shop_url, demo, monkeypatch
):
    from bot.conversation import knowledge_answers

    seen = []
    real = knowledge_answers.prompt_context
    monkeypatch.setattr(
        knowledge_answers, "prompt_context", lambda q, f: seen.append(f.name) or real(q, f)
    )
    knowledge(PAYMENTS)
    order = next(iter(demo.values()))
    tracker = make_tracker(
        text="do you accept paypal?",
        intent="check_payment_methods",
        slots={"verified_order": order.order_id, "email": order.email},
    )
    await ActionAnswerKnowledge().run(dispatcher, tracker, DOMAIN)
    assert seen and seen[0] and seen[0][0].isupper()
