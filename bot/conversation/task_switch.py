"""Another order task asked for in the middle of one: switch after asking once.

"Where is my order?", "A1004", then "actually I want to cancel it": the shopper already gave the
tracking task its order number, so starting the cancellation would drop what they were doing.
The assistant asks once ("You asked me to look up order A1004. Shall I cancel it instead?");
"yes" switches, "no, carry on" keeps the first task, and asking for the new task again counts
as a yes. When the form has nothing yet (it still waits for the first answer) the switch loses
nothing and happens at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.messages.replies import Button, Reply

__all__ = ["SWITCH_SLOT", "Switch", "decide_switch", "switched"]

SWITCH_SLOT = "switch_to_task"

# "You asked me to {doing} order A1004. Shall I {instead} instead?"
_DOING = {
    "track_order": "look up",
    "cancel_order": "cancel",
    "change_order": "change",
    "check_cancellation_fee": "check the cost of cancelling",
    "change_shipping_address": "change the delivery address of",
    "get_refund": "refund",
    "return_item": "start a return for",
    "track_refund": "check the refund of",
    "get_invoice": "find the invoice of",
    "check_invoice": "check the invoice of",
}
_INSTEAD = {
    "track_order": "look up where it is",
    "cancel_order": "cancel it",
    "change_order": "change it",
    "check_cancellation_fee": "check what cancelling it costs",
    "change_shipping_address": "change its delivery address",
    "get_refund": "refund it",
    "return_item": "start a return",
    "track_refund": "check its refund",
    "get_invoice": "find its invoice",
    "check_invoice": "check its invoice",
}


@dataclass(frozen=True)
class Switch:
    """What to do with a new order task asked for while the order form runs."""

    task: str  # the task the form goes on with
    reply: Reply | None  # the question to ask first (None: nothing to ask)


def decide_switch(
    current: str | None, new: str, order_id: str | None, asked: str | None, form_active: bool
) -> Switch:
    """Whether ``new`` replaces the ``current`` task now or after asking once.

    Args:
        current: The task the order form works on (None: no task).
        new: The task the latest message asks for.
        order_id: The order number the form already holds for ``current``.
        asked: The task the shopper was already asked about switching to (the switch slot).
        form_active: Whether the order form is running.
    """
    keep_asking = {SWITCH_SLOT: None}
    if not form_active or not current or current == new or not order_id or asked == new:
        return Switch(task=new, reply=Reply(slots=keep_asking))
    doing = _DOING.get(current, "help with")
    instead = _INSTEAD.get(new, "do that")
    return Switch(
        task=current,
        reply=Reply(
            text=f"You asked me to {doing} order {order_id}. Shall I {instead} instead?",
            buttons=[Button("Yes, switch", "/affirm"), Button("No, carry on", f"/{current}")],
            slots={SWITCH_SLOT: new},
        ),
    )


def switched(asked: str | None, affirmed: bool) -> Reply | None:
    """The reply to "yes"/"no" after the switch question (None when none was asked)."""
    if not asked:
        return None
    if not affirmed:
        return Reply(text="Okay, let's carry on.", slots={SWITCH_SLOT: None}, followup="order_form")
    instead = _INSTEAD.get(asked, "do that")
    return Reply(
        text=f"Okay, I'll {instead} instead.",
        slots={SWITCH_SLOT: None, "order_task": asked, "awaiting_confirmation": None},
        followup="order_form",
    )
