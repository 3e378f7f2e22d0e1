"""Helpers shared by the actions: sending a :class:`Reply` and turning it into events."""

from __future__ import annotations

import logging

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.messages import envelope, read_parse
from bot.messages.replies import Reply

log = logging.getLogger(__name__)


def send(dispatcher: CollectingDispatcher, reply: Reply) -> list[EventType]:
    """Sends ``reply`` and returns the events that apply its slot changes and follow-up."""
    buttons = [{"title": b.title, "payload": b.payload} for b in reply.buttons]
    if reply.response:
        dispatcher.utter_message(response=reply.response, buttons=buttons or None)
    elif reply.text or reply.custom:
        dispatcher.utter_message(
            text=reply.text or None,
            buttons=buttons or None,
            json_message=dict(envelope(reply.custom)) if reply.custom else None,
        )
    for card in reply.extra_cards:
        dispatcher.utter_message(json_message=dict(envelope(card)))
    events: list[EventType] = [SlotSet(name, value) for name, value in reply.slots.items()]
    if reply.followup:
        events.append(FollowupAction(reply.followup))
    return events


def latest_text(tracker: Tracker) -> str:
    """The shopper's latest message text ('' if none)."""
    return read_parse(tracker.latest_message).text


def latest_intent(tracker: Tracker) -> str:
    """The intent of the shopper's latest message ('' if none)."""
    return read_parse(tracker.latest_message).intent or ""


def apologise(dispatcher: CollectingDispatcher, action: str, error: Exception) -> list[EventType]:
    """Logs an unexpected error and tells the shopper politely; the conversation goes on."""
    log.exception("action %s failed: %s", action, error)
    dispatcher.utter_message(response="utter_error")
    return []
