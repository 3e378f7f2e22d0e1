"""Unclear messages (NLU fallback): answered from the knowledge base when it clearly holds the
answer, else the two-stage fallback; two unclear messages in a row hand over only when the
first one was not answered either; a message that only names a kind of product gets
suggestions. Real trackers, a recording retriever."""

from __future__ import annotations

import pytest
from rasa_sdk.events import ConversationPaused, FollowupAction

from actions.handoff import ActionDefaultFallback
from actions.knowledge import ActionAnswerKnowledge, ActionAnswerOrClarify
from bot.conversation.unclear import knowledge_can_answer, previous_unclear_was_answered
from bot.knowledge.retrieve import RetrievedPassage
from bot.recommend.dialogue import context_is_current
from tests.unit.actions.conftest import DOMAIN, RecordingRetriever, make_tracker
from tests.unit.actions.test_other_actions import PAYMENTS

pytestmark = pytest.mark.unit


class ScoredRetriever(RecordingRetriever):
    """Finds the payments passage with a given confidence."""

    def __init__(self, confidence: float) -> None:
        super().__init__(PAYMENTS)
        self.confidence = confidence

    def retrieve(self, query: str, k: int = 5) -> list[RetrievedPassage]:
        self.queries.append(query)
        return [RetrievedPassage(PAYMENTS, 0.8, self.confidence, 0.5, self.confidence)]


def test_only_a_confident_passage_answers_an_unclear_message():
    assert knowledge_can_answer("paypal ok??", retriever=ScoredRetriever(0.62), min_confidence=0.5)
    assert not knowledge_can_answer(
        "paypal ok??", retriever=ScoredRetriever(0.45), min_confidence=0.5
    )
    assert not knowledge_can_answer(
        "anything", retriever=RecordingRetriever(None), min_confidence=0.5
    )


def test_unreadable_messages_never_reach_the_knowledge_base():
    retriever = ScoredRetriever(0.9)
    for text in ("", "🙂🙂", "a" * 5000, "Wo ist meine Bestellung, ich warte schon lange"):
        assert not knowledge_can_answer(text, retriever=retriever, min_confidence=0.5)
    assert retriever.queries == []


async def test_an_unclear_question_the_knowledge_base_answers_gets_the_answer(
    dispatcher, knowledge
):
    knowledge(PAYMENTS)  # confidence 0.7, above the default 0.5
    tracker = make_tracker(text="paypal ok??", intent="nlu_fallback")
    assert await ActionAnswerOrClarify().run(dispatcher, tracker, DOMAIN) == []
    [message] = dispatcher.messages
    assert "- PayPal;" in message["text"]
    assert message["custom"]["data"]["sources"][0]["id"] == PAYMENTS.id


async def test_an_unclear_message_without_an_answer_goes_to_the_two_stage_fallback(
    dispatcher, knowledge
):
    knowledge(None)
    tracker = make_tracker(text="blorf snarkle", intent="nlu_fallback")
    assert await ActionAnswerOrClarify().run(dispatcher, tracker, DOMAIN) == [
        FollowupAction("action_two_stage_fallback")
    ]
    assert dispatcher.messages == [] and knowledge.gaps == []


@pytest.mark.parametrize("intent", ["nlu_fallback", "product_question"])
async def test_a_message_that_only_names_a_kind_of_product_gets_suggestions(
    dispatcher, knowledge, intent
):
    knowledge(PAYMENTS)  # the knowledge base would answer, but suggestions fit a search better
    tracker = make_tracker(text="a linen shirt", intent=intent)
    action = ActionAnswerOrClarify() if intent == "nlu_fallback" else ActionAnswerKnowledge()

    events = await action.run(dispatcher, tracker, DOMAIN)

    message = dispatcher.messages[0]  # the suggestions (then their products card)
    assert message["text"].startswith("Here's what I'd suggest (linen shirt)"), message
    # The suggestions' context is kept, so "in blue?" next refers to them.
    assert [e["name"] for e in events if e["event"] == "slot"] == ["recommendation"]
    assert context_is_current([*tracker.events, *events, {"event": "user", "text": "in blue?"}])


async def test_an_unclear_question_about_a_kind_of_product_is_no_search(dispatcher, knowledge):
    knowledge(PAYMENTS)
    tracker = make_tracker(text="is a cashmere sweater warm?", intent="nlu_fallback")
    assert await ActionAnswerOrClarify().run(dispatcher, tracker, DOMAIN) == []
    assert dispatcher.messages


def turn(text: str, *actions: str) -> list[dict]:
    return [
        {"event": "user", "text": text, "parse_data": {"intent": {"name": "nlu_fallback"}}},
        *({"event": "action", "name": name} for name in actions),
    ]


def test_previous_unclear_message_answered_or_not():
    answered = turn("paypal ok??", "action_answer_or_clarify", "action_listen")
    clarified = turn(
        "blorf", "action_answer_or_clarify", "action_two_stage_fallback", "action_listen"
    )
    latest = turn("zorp")
    assert previous_unclear_was_answered(answered + latest)
    assert not previous_unclear_was_answered(clarified + latest)
    assert not previous_unclear_was_answered(latest)


async def test_after_an_answered_unclear_message_a_second_one_is_clarified_not_handed_over(
    dispatcher, handoff_database
):
    tracker = make_tracker(
        text="zorp quib",
        intent="nlu_fallback",
        ranking=[
            {"name": "nlu_fallback", "confidence": 0.6},
            {"name": "track_order", "confidence": 0.3},
        ],
    )
    tracker.events[:0] = turn("paypal ok??", "action_answer_or_clarify", "action_listen")
    events = await ActionDefaultFallback().run(dispatcher, tracker, DOMAIN)
    assert ConversationPaused() not in events
    [message] = dispatcher.messages
    assert "not sure I understood" in message["text"]
    assert message["buttons"][0]["payload"] == "/track_order"
