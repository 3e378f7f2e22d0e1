"""Fallback, knowledge and handoff actions with real trackers."""

from __future__ import annotations

import pytest

from actions.fallback import ActionDefaultAskAffirmation
from actions.handoff import ActionHandoff
from actions.knowledge import ActionAnswerKnowledge
from tests.unit.actions.conftest import DOMAIN, make_tracker

pytestmark = pytest.mark.unit


async def test_unclear_message_offers_readable_choices(dispatcher):
    ranking = [{"name": "nlu_fallback", "confidence": 0.6}, {"name": "track_order", "confidence": 0.3},
               {"name": "delivery_period", "confidence": 0.2}]
    tracker = make_tracker(text="parcel??", intent="nlu_fallback", ranking=ranking)
    assert await ActionDefaultAskAffirmation().run(dispatcher, tracker, DOMAIN) == []
    [message] = dispatcher.messages
    assert [b["title"] for b in message["buttons"]] == ["Track an order", "Delivery times", "Something else"]
    assert [b["payload"] for b in message["buttons"]] == ["/track_order", "/delivery_period", "/out_of_scope"]


@pytest.mark.parametrize(
    ("text", "response"),
    [("", "utter_empty_message"), ("🙂🙂", "utter_no_text"), ("a" * 5000, "utter_message_too_long"),
     ("Wo ist meine Bestellung, ich warte schon lange", "utter_please_rephrase_language")],
)
async def test_unreadable_messages_get_an_explanation(dispatcher, text, response):
    tracker = make_tracker(text=text, intent="nlu_fallback")
    await ActionDefaultAskAffirmation().run(dispatcher, tracker, DOMAIN)
    assert [m["response"] for m in dispatcher.messages] == [response]
    assert response in DOMAIN["responses"]


async def test_knowledge_question_is_answered_honestly(dispatcher):
    tracker = make_tracker(text="do you accept paypal?", intent="check_payment_methods")
    assert await ActionAnswerKnowledge().run(dispatcher, tracker, DOMAIN) == []
    [message] = dispatcher.messages
    assert "can't look up answers about payment methods yet" in message["text"]
    assert message["buttons"] == [{"title": "Talk to a person", "payload": "/contact_human_agent"}]


async def test_handoff_gives_contact_details(dispatcher):
    await ActionHandoff().run(dispatcher, make_tracker(intent="contact_human_agent"), DOMAIN)
    assert "support@fernhill-goods.example" in dispatcher.messages[0]["text"]
