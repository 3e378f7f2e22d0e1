"""What the shopper is told about people: the team's hours, a place in the queue, tasks reserved
to people. Plain text; :mod:`bot.handoff.triggers` puts it in the reply."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

SHOP_TZ = ZoneInfo("Europe/Amsterdam")
# Weekday (Monday = 0) → (opens, closes) of the human team, from docs/shop-facts.md.
AGENT_HOURS: dict[int, tuple[time, time]] = {
    **{day: (time(9), time(18)) for day in range(5)},
    5: (time(10), time(16)),
}
PHONE = "+31 30 555 0142"
EMAIL = "support@fernhill-goods.example"


def agents_available(at: datetime) -> bool:
    """Whether the human team is working at ``at`` (any timezone-aware time)."""
    local = at.astimezone(SHOP_TZ)
    hours = AGENT_HOURS.get(local.weekday())
    return hours is not None and hours[0] <= local.time() < hours[1]


def acknowledge_handoff(now: datetime) -> str:
    """The reply to "I want to talk to a person", honest about when people are there.

    Args:
        now: The current time, timezone-aware.
    """
    if agents_available(now):
        text = (
            "Of course. A person from our team is available right now: call us on "
            f"{PHONE} or e-mail {EMAIL} (we answer within 1 business day). "
            "I'm also happy to keep helping here in the meantime."
        )
    else:
        text = (
            "Of course. Our team works Monday to Friday 09:00–18:00 and Saturday 10:00–16:00 "
            f"(Dutch time), so nobody is available just now. You can e-mail {EMAIL} and we'll "
            f"answer within 1 business day, or call {PHONE} when we're open. "
            "I'm happy to keep helping here in the meantime."
        )
    return text


def queued_reply(position: int, minutes_per_conversation: int) -> str:
    """What the shopper reads once the conversation waits for a person.

    Args:
        position: 1 when nobody else is waiting.
        minutes_per_conversation: Expected minutes per waiting conversation.
    """
    wait = max(1, position * minutes_per_conversation)
    place = "You're next in line" if position == 1 else f"You're number {position} in the queue"
    text = (
        f"I've asked a person from our team to join this chat. {place}; someone usually joins "
        f"within about {wait} minute{'s' if wait != 1 else ''}. They'll write to you right here, "
        "and I'll stay quiet until then. If you'd rather not wait, e-mail "
        f"{EMAIL} (we answer within 1 business day)."
    )
    return text


def reserved_task_reply(task: str) -> str:
    """Says that ``task`` (e.g. "a refund of this size") is for a person, before the handoff."""
    return f"{task[:1].upper()}{task[1:]} needs a person from our team, so I'll pass you on."
