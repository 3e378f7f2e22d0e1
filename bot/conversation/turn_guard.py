"""A guard over every action's answer: one turn never repeats a message or loops.

Rasa predicts actions until one of them is ``action_listen``; a fallback path that keeps
predicting itself (a fallback action that neither reverts the message nor listens) sends the same
apology until Rasa's action limit. The action server passes each action's answer through
:func:`guard_answer`, which drops messages already sent in the current turn and, when the turn
is looping, ends it by listening. No Rasa types here: events and messages are Rasa's wire dicts.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

ACTION_LISTEN = "action_listen"
MAX_RUNS_OF_ONE_ACTION = 2
"""An action that already ran this often in one turn is not run again in it."""
MAX_ACTIONS_PER_TURN = 8
"""This many actions (responses aside) in one turn mean it is going round in circles (Rasa
itself stops at 10 predictions, after sending everything the loop said)."""
LISTEN_EVENT: dict[str, Any] = {"event": "followup", "name": ACTION_LISTEN}


@dataclass
class TurnSoFar:
    """What happened since the shopper's latest message."""

    actions: list[str] = field(default_factory=list)
    sent: set[str] = field(default_factory=set)

    @property
    def replied(self) -> bool:
        """Whether the shopper got any message in this turn."""
        return bool(self.sent)


def message_key(message: Mapping[str, Any]) -> str:
    """What makes two messages the same: the response name, else the text, buttons and card."""
    name = message.get("response") or message.get("template")
    if not name:
        metadata = message.get("metadata")
        name = metadata.get("utter_action") if isinstance(metadata, Mapping) else None
    if name:
        return f"response:{name}"
    data = message.get("data")
    data = data if isinstance(data, Mapping) else {}
    body = {
        "text": message.get("text") or "",
        "buttons": message.get("buttons") or data.get("buttons") or [],
        "custom": message.get("custom") or message.get("json_message") or data.get("custom"),
    }
    return "message:" + json.dumps(body, sort_keys=True, default=str)


def turn_so_far(events: Iterable[Mapping[str, Any]]) -> TurnSoFar:
    """The actions run and the messages sent since the latest user message in ``events``."""
    turn = TurnSoFar()
    for event in events:
        kind = event.get("event")
        if kind == "user":
            turn = TurnSoFar()
        elif kind == "action" and event.get("name") != ACTION_LISTEN:
            turn.actions.append(str(event.get("name") or ""))
        elif kind == "bot":
            turn.sent.add(message_key(event))
        elif kind == "rewind" or kind == "restart":
            turn = TurnSoFar()
    return turn


def guard_answer(
    tracker_events: Iterable[Mapping[str, Any]],
    action: str,
    events: list[dict[str, Any]],
    messages: list[dict[str, Any]],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The action's events and messages, without repeats within the turn and ending a loop.

    Args:
        tracker_events: The conversation's events as the action received them (its own run is
            not among them yet).
        action: The name of the action that answered.
        events: The events the action returned.
        messages: The messages the action sends.

    Returns:
        The events and messages to send back to Rasa. When the turn is looping (this action
        already ran :data:`MAX_RUNS_OF_ONE_ACTION` times, or :data:`MAX_ACTIONS_PER_TURN` actions
        ran) or every message was already sent in this turn, follow-up actions
        are dropped and the turn ends by listening (a looping action says nothing more when the
        turn already has a reply).
    """
    turn = turn_so_far(tracker_events)
    kept: list[dict[str, Any]] = []
    seen = set(turn.sent)
    for message in messages:
        key = message_key(message)
        if key in seen:
            log.warning("turn guard: %s repeated a message of this turn; not sent again", action)
            continue
        seen.add(key)
        kept.append(message)
    looping = (
        turn.actions.count(action) >= MAX_RUNS_OF_ONE_ACTION
        or sum(not name.startswith("utter_") for name in turn.actions) >= MAX_ACTIONS_PER_TURN
    )
    only_repeats = bool(messages) and not kept
    if not (looping or only_repeats):
        return events, kept
    log.warning(
        "turn guard: %s would loop (actions this turn: %s); listening", action, turn.actions
    )
    calm = [e for e in events if e.get("event") != "followup"]
    if looping and turn.replied:
        kept = []  # the shopper has this turn's reply; saying more would only repeat it
    return [*calm, LISTEN_EVENT], kept
