"""Handing the conversation to a person: on request, for an upset complaint, after two unclear
messages in a row, and for tasks reserved to people (a slot names the reason)."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ConversationPaused, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import latest_text, send
from actions.fallback import ActionDefaultAskAffirmation
from bot.conversation.routing import upset_order_task
from bot.conversation.unclear import previous_unclear_was_answered
from bot.handoff.queue import Reason
from bot.handoff.triggers import hand_over, is_strongly_negative


async def hand_over_events(
    dispatcher: CollectingDispatcher, tracker: Tracker, reason: Reason
) -> list[EventType]:
    """Queues the conversation, tells the shopper, and pauses the bot when a person will come."""
    email = tracker.get_slot("email") if tracker.get_slot("verified_order") else None
    outcome = await asyncio.to_thread(
        hand_over,
        tracker.sender_id,
        reason,
        now=datetime.now().astimezone(),
        channel=tracker.get_latest_input_channel(),
        email=email,
        text=latest_text(tracker),
        metadata=tracker.latest_message.get("metadata"),
    )
    events = send(dispatcher, outcome.reply)
    if tracker.get_slot("handoff_reason"):
        events.append(SlotSet("handoff_reason", None))
    if outcome.paused:
        events.append(ConversationPaused())
    return events


class ActionHandoff(Action):
    """Puts the shopper in the people's queue (or gives the hours when nobody is working)."""

    def name(self) -> str:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        slot = tracker.get_slot("handoff_reason")
        reason = Reason(slot) if slot in Reason._value2member_map_ else Reason.ASKED
        return await hand_over_events(dispatcher, tracker, reason)


class ActionComplaint(Action):
    """An upset complaint goes straight to a person; a calm one gets the complaint procedure."""

    def name(self) -> str:
        return "action_complaint"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if is_strongly_negative(latest_text(tracker)):
            dispatcher.utter_message(text="I'm really sorry about this.")
            return await hand_over_events(dispatcher, tracker, Reason.NEGATIVE_SENTIMENT)
        if not tracker.active_loop_name and upset_order_task(latest_text(tracker)):
            # "This is ridiculous, my parcel is two weeks late": look at the parcel first.
            return [FollowupAction("action_set_order_task")]
        dispatcher.utter_message(response="utter_complaint")
        return []


class ActionDefaultFallback(Action):
    """Rasa runs this after two unclear messages in a row: a person takes over."""

    def name(self) -> str:
        return "action_default_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if previous_unclear_was_answered(tracker.events):
            # The previous unclear message was answered from the knowledge base: ask what this
            # one means instead of handing over.
            return await ActionDefaultAskAffirmation().run(dispatcher, tracker, domain)
        dispatcher.utter_message(text="I'm sorry, I still can't work out what you need.")
        events = await hand_over_events(dispatcher, tracker, Reason.FALLBACKS)
        if ConversationPaused() in events:
            return events
        # Nobody takes over: the turn ends here, or the rule for unclear messages starts the
        # fallback again on the same message (this apology until Rasa's action limit).
        return [*events, FollowupAction("action_listen")]
