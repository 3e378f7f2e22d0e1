"""When a conversation goes to a person, and what the shopper is told (no Rasa types here: the
actions in ``actions/handoff.py`` call these and turn the outcome into events)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from bot.handoff.agents import agents_signed_in, has_agents
from bot.handoff.announcements import acknowledge_handoff, agents_available, queued_reply
from bot.handoff.queue import Reason, enqueue, handoff_sessions
from bot.messages.replies import Reply
from bot.sentiment import compound
from bot.settings import get_settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Handoff:
    """The outcome of a handoff request: the reply, and whether the bot must now stay quiet."""

    reply: Reply
    paused: bool
    position: int | None = None


def is_strongly_negative(text: str) -> bool:
    """Whether ``text`` is upset enough to go to a person (VADER vs. the threshold setting)."""
    return compound(text) <= get_settings().handoff_sentiment_threshold


def refund_needs_agent(total: Decimal, limit: float | None = None) -> bool:
    """Whether a refund of an order of ``total`` euros is reserved to people.

    Args:
        total: The order's total.
        limit: The limit in euros (default: the ``refund_agent_limit`` setting).
    """
    return total > Decimal(str(get_settings().refund_agent_limit if limit is None else limit))


def hand_over(
    session_id: str,
    reason: Reason,
    *,
    now: datetime,
    channel: str | None = None,
    email: str | None = None,
    text: str = "",
    metadata: Mapping[str, Any] | None = None,
) -> Handoff:
    """Queues the conversation for people when someone is working (or always, by setting).

    When nobody is there (see the ``handoff_availability`` setting) nothing is queued and the
    bot goes on, with the team's hours and e-mail.

    Args:
        session_id: Rasa's sender id.
        reason: Why the conversation goes to people.
        now: The current time, timezone-aware.
        channel: Rasa's latest input channel.
        email: The shopper's verified e-mail, if any.
        text: The shopper's latest message (its sentiment is stored).
        metadata: The latest message's metadata (a messaging app's name for the shopper).
    """
    settings = get_settings()
    try:
        with handoff_sessions()() as session, session.begin():
            mode = settings.handoff_availability
            # Within hours someone will come, but only if the console has any agent at all.
            staffed = (
                mode == "always"
                or agents_signed_in(session)
                or (mode == "hours" and agents_available(now) and has_agents(session))
            )
            if not staffed:
                return Handoff(Reply(text=acknowledge_handoff(now)), paused=False)
            queued = enqueue(
                session,
                session_id,
                reason,
                channel=channel,
                email=email,
                sentiment=compound(text) if text else None,
                metadata=metadata,
            )
    except Exception:
        log.exception("could not queue conversation %s for people", session_id)
        return Handoff(Reply(text=acknowledge_handoff(now)), paused=False)
    text = queued_reply(queued.position, settings.handoff_minutes_per_conversation)
    return Handoff(Reply(text=text), paused=True, position=queued.position)
