"""Answers product and policy questions from the shop's knowledge."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import apologise, latest_intent, latest_text, send
from bot.conversation import several_requests
from bot.conversation.focus import indexed_product_name, question_in_focus, subject_in_focus
from bot.conversation.knowledge_answers import (
    ConversationFacts,
    answer_question,
    is_follow_up,
    verified_first_name,
)
from bot.conversation.routing import (
    FIXED_RESPONSES,
    ROUTE_ACTION,
    is_product_search,
    knowledge_first,
    refines_suggestions,
    upset_order_task,
)
from bot.conversation.unclear import CLARIFY_ACTION, knowledge_can_answer
from bot.messages import UserEvent, read_events
from bot.recommend.service import shop_catalogue

log = logging.getLogger(__name__)

NAME_SLOTS = ("first_name", "customer_name", "name")
ORDER_FORM = "order_form"
SET_ORDER_TASK = "action_set_order_task"


def previous_user_text(tracker: Tracker) -> str | None:
    """The question the shopper's latest message may follow up: their latest earlier message
    that is not a follow-up itself (None at the start of a conversation)."""
    texts = [e.text for e in read_events(tracker.events) if isinstance(e, UserEvent)]
    return question_in_focus(texts, is_follow_up)


def conversation_facts(tracker: Tracker) -> ConversationFacts:
    """Events, channel, sender and the shopper's name (from a slot, or the verified order)."""
    name = next((tracker.slots.get(slot) for slot in NAME_SLOTS if tracker.slots.get(slot)), None)
    name = name or verified_first_name(
        tracker.get_slot("verified_order"), tracker.get_slot("email")
    )
    return ConversationFacts(
        events=list(tracker.events),
        channel=tracker.get_latest_input_channel(),
        sender_id=tracker.sender_id,
        name=name,
    )


def product_search(text: str) -> bool:
    """A search that only names the kind of product wanted ("a cashmere sweater"); never an
    error (the knowledge answer is then the answer)."""
    try:
        return is_product_search(text, (product.name for product in shop_catalogue()))
    except Exception:  # noqa: BLE001 - the knowledge answer is a fine answer too
        log.exception("checking for a product search failed")
        return False


def wants_suggestions(text: str, events: list[dict[str, Any]]) -> bool:
    """A product search, or a constraint added to the suggestions just shown; never an error."""
    if product_search(text):
        return True
    try:
        return refines_suggestions(text, events)
    except Exception:  # noqa: BLE001 - the unclear-message path is a fine answer too
        log.exception("checking whether a message wants suggestions failed")
        return False


async def recommend(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
) -> list[EventType]:
    """The recommendation action's turn, run within this action (a follow-up action after a
    fallback would leave Rasa without a rule for what comes next)."""
    from actions.recommend import ActionRecommend  # it imports this module's knowledge action

    return await ActionRecommend().run(dispatcher, tracker, domain)


def focus_of(tracker: Tracker) -> str | None:
    """The name of the product the conversation is about (the page's product, "the second one"
    of the latest list, else the latest answer's), or the topic a short follow-up refers back
    to, or None; never an error (a follow-up is then read on its own)."""
    try:
        return subject_in_focus(tracker.events, indexed_product_name)
    except Exception as error:  # noqa: BLE001 - the focus is a help, never a reason to fail
        log.warning("no product in focus: %s", error)
        return None


class ActionAnswerKnowledge(Action):
    """One action for every knowledge question (products, delivery, refunds policy, payments)."""

    def name(self) -> str:
        return "action_answer_knowledge"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        intent = latest_intent(tracker)
        text = latest_text(tracker)
        if not tracker.active_loop_name and upset_order_task(text):
            # "Still no sign of my order?? terrible service": look at the order, kindly.
            return [FollowupAction(SET_ORDER_TASK)]
        searching = intent == "product_question" and not tracker.active_loop_name
        if searching and await asyncio.to_thread(product_search, text):
            # "A cashmere sweater": suggestions that meet it, not one product's description.
            return await recommend(dispatcher, tracker, domain)
        # "How long do refunds take, and cancel A1004": the question now, the task next.
        parts = several_requests.parts_of(text)
        try:
            # Retrieval and generation are CPU work: keep the event loop free for other shoppers.
            product = await asyncio.to_thread(focus_of, tracker)
            reply = await asyncio.to_thread(
                answer_question,
                parts.question if parts and parts.question else text,
                intent,
                previous_user_text(tracker),
                facts=conversation_facts(tracker),
                product=product,
            )
            events = send(dispatcher, reply)
        except Exception as error:  # noqa: BLE001 - the shopper gets an apology, we get a log
            return apologise(dispatcher, self.name(), error)
        if parts is not None and parts.task and not tracker.active_loop_name:
            events += [
                SlotSet("order_task", parts.task),
                SlotSet("awaiting_confirmation", None),
                FollowupAction(ORDER_FORM),
            ]
        return events


class ActionAnswerOrClarify(Action):
    """A message the NLU found unclear: suggestions for a product search or a constraint added
    to suggestions just shown; else answered from the knowledge base when it clearly holds the
    answer; otherwise the two-stage fallback asks what the shopper meant."""

    def name(self) -> str:
        return "action_answer_or_clarify"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        text = latest_text(tracker)
        if not tracker.active_loop_name and await asyncio.to_thread(
            wants_suggestions, text, list(tracker.events)
        ):
            # "A cashmere sweater", or "in size XXL" after suggestions, unclear to the NLU.
            return await recommend(dispatcher, tracker, domain)
        try:
            product = await asyncio.to_thread(focus_of, tracker)
            known = await asyncio.to_thread(
                knowledge_can_answer,
                text,
                previous_user_text(tracker),
                product=product,
            )
        except Exception as error:  # noqa: BLE001 - asking what they meant is always safe
            log.exception("checking the knowledge base for an unclear message failed: %s", error)
            known = False
        if not known:
            return [FollowupAction(CLARIFY_ACTION)]
        return await ActionAnswerKnowledge().run(dispatcher, tracker, domain)


class ActionAnswerOrRespond(Action):
    """An intent with a fixed response (account, contact, out of scope…): the knowledge base's
    answer when it clearly holds one, otherwise the intent's response
    (see :mod:`bot.conversation.routing`)."""

    def name(self) -> str:
        return ROUTE_ACTION

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        response = FIXED_RESPONSES.get(latest_intent(tracker), "utter_out_of_scope")
        try:
            product = await asyncio.to_thread(focus_of, tracker)
            known = await asyncio.to_thread(
                knowledge_first, latest_text(tracker), previous_user_text(tracker), product=product
            )
        except Exception as error:  # noqa: BLE001 - the intent's own response is always safe
            log.exception("checking the knowledge base before a fixed response failed: %s", error)
            known = False
        if not known:
            dispatcher.utter_message(response=response)
            return []
        return await ActionAnswerKnowledge().run(dispatcher, tracker, domain)
