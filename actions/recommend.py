"""Recommends products that fit what the shopper asked for, and answers follow-ups to them."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import apologise, latest_intent, latest_text, send
from actions.knowledge import ActionAnswerKnowledge, focus_of
from bot.conversation.routing import (
    asks_about_named_product,
    asks_about_product_in_focus,
    knowledge_first,
)
from bot.recommend.dialogue import ACTION, CONTEXT_SLOT, context_is_current
from bot.recommend.service import recommend_turn, shop_catalogue

FOLLOWUP_INTENT = "refine_recommendation"
log = logging.getLogger(__name__)


def product_question(text: str) -> bool:
    """A yes/no question about a product the shopper names, which the knowledge base answers
    confidently; never an error (the recommendation is then the answer)."""
    try:
        names = (product.name for product in shop_catalogue())
        return asks_about_named_product(text, names) and knowledge_first(text)
    except Exception:  # noqa: BLE001 - the recommendation is a fine answer too
        log.exception("checking a product question before recommending failed")
        return False


class ActionRecommend(Action):
    """Suggests up to three products with a reason each, or says honestly that nothing fits."""

    def name(self) -> str:
        return ACTION

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        followup = latest_intent(tracker) == FOLLOWUP_INTENT
        text = latest_text(tracker)
        if not followup and (
            await asyncio.to_thread(product_question, text)
            or asks_about_product_in_focus(text, await asyncio.to_thread(focus_of, tracker))
        ):
            # "Are the corran hiking boots waterproof?", "does this backpack fit a 15 inch
            # laptop?" on its page: the knowledge base's answer.
            return await ActionAnswerKnowledge().run(dispatcher, tracker, domain)
        current = context_is_current(list(tracker.events))
        context = tracker.get_slot(CONTEXT_SLOT) if current else None
        try:
            # Retrieval is CPU work: keep the event loop free for other shoppers.
            turn = await asyncio.to_thread(
                recommend_turn,
                latest_text(tracker),
                context,
                followup=followup,
                # Only a shopper who verified an order has a profile (kept by their e-mail).
                email=tracker.get_slot("email") if tracker.get_slot("verified_order") else None,
            )
        except Exception as error:  # noqa: BLE001 - the shopper gets an apology, we get a log
            return apologise(dispatcher, self.name(), error)
        value = turn.context.to_dict() if turn.context is not None else None
        return [*send(dispatcher, turn.reply), SlotSet(CONTEXT_SLOT, value)]
