"""A short apology instead of silence when a custom action failed.

When Rasa cannot run a custom action (the action server is down or restarting, or it answered
with an error), Rasa 3.6 logs "Encountered an exception while running action …", drops the
action's events and the turn usually ends with no reply at all. Every channel of the project
hands Rasa's message handler through :meth:`FailedTurnGuard.wrap`: after a turn that sent the
shopper nothing, in which a custom action or a form ran, in a conversation no person has (not
paused), the shopper gets :data:`bot.messages.ACTION_FAILED_APOLOGY`, kept in the tracker like
every bot message (metadata ``{"fault": "action_failed", "action": <name>}``), so agents see it
in the transcript and the widget's history shows it.

A channel uses it like this::

    def blueprint(self, on_new_message):
        guard = FailedTurnGuard()
        return guard.watch(super().blueprint(guard.wrap(on_new_message)))
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Collection, Sequence
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, UserUttered
from sanic import Blueprint, Sanic

from bot.messages import ACTION_FAILED_APOLOGY

logger = logging.getLogger(__name__)

FAULT_METADATA = {"fault": "action_failed"}

Handler = Callable[[UserMessage], Awaitable[Any]]


def turn_of(events: Sequence[Event], message_id: str | None) -> list[Event] | None:
    """The events of the turn that the user message ``message_id`` started (up to the next user
    message), or None when the tracker does not hold that message."""
    start = None
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        if isinstance(event, UserUttered) and event.message_id == message_id:
            start = index
            break
    if start is None:
        return None
    turn: list[Event] = []
    for event in events[start + 1 :]:
        if isinstance(event, UserUttered):
            break
        turn.append(event)
    return turn


def failed_action(turn: Sequence[Event], custom_actions: Collection[str]) -> str | None:
    """The custom action (or form) that left ``turn`` silent: the last one that ran in a turn
    that sent nothing (Rasa dropped its events); None when the turn sent a message or ran no
    custom action."""
    if any(isinstance(event, BotUttered) for event in turn):
        return None
    ran = [
        event.action_name
        for event in turn
        if isinstance(event, ActionExecuted) and event.action_name in custom_actions
    ]
    return ran[-1] if ran else None


def custom_action_names(domain: Any) -> frozenset[str]:
    """The names of the domain's actions that run on the action server, and its forms."""
    names = [*domain.user_actions, *domain.form_names]
    return frozenset(name for name in names if not name.startswith("utter_"))


class FailedTurnGuard:
    """Answers a turn that a failed custom action left silent (see the module's docstring)."""

    def __init__(self) -> None:
        self.app: Sanic | None = None

    def watch(self, blueprint: Blueprint) -> Blueprint:
        """Lets the guard find Rasa's agent (``app.ctx.agent``) once the server starts."""

        async def remember_app(app: Sanic, *_: Any) -> None:
            self.app = app

        blueprint.listener("before_server_start")(remember_app)
        return blueprint

    def wrap(self, on_new_message: Handler) -> Handler:
        """``on_new_message`` followed by :meth:`after_turn`."""

        async def handle(message: UserMessage) -> Any:
            result = await on_new_message(message)
            await self.after_turn(message)
            return result

        return handle

    async def after_turn(self, message: UserMessage) -> None:
        """Sends and records the apology when ``message``'s turn was left silent by a failed
        custom action; never raises (the turn itself is over)."""
        agent = getattr(getattr(self.app, "ctx", None), "agent", None)
        processor = getattr(agent, "processor", None)
        if agent is None or processor is None:
            return
        try:
            async with agent.lock_store.lock(message.sender_id):
                tracker = await processor.get_tracker(message.sender_id)
                turn = turn_of(list(tracker.events), message.message_id)
                if turn is None or tracker.is_paused():
                    return
                action = failed_action(turn, custom_action_names(agent.domain))
                if action is None:
                    return
                logger.warning(
                    "Action %s failed in conversation %s and the turn sent nothing; "
                    "the shopper gets an apology.",
                    action,
                    message.sender_id,
                )
                await message.output_channel.send_text_message(
                    message.sender_id, ACTION_FAILED_APOLOGY
                )
                tracker.update(
                    BotUttered(ACTION_FAILED_APOLOGY, metadata={**FAULT_METADATA, "action": action})
                )
                await processor.save_tracker(tracker)
        except Exception:  # noqa: BLE001 - the apology is a courtesy; it must not fail the turn
            logger.exception("Could not answer the silent turn of %s.", message.sender_id)
