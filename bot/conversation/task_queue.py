"""Two order tasks in one message: "cancel order A1004 and tell me where order A1005 is".

The first task runs as usual (order form, verification, the task, its confirmation); the second
waits in two slots (``next_order_task``, ``next_order_id``) and starts when the first is over:
right after its reply, or after the shopper's yes or no when the first task asked to confirm a
change. When the second task names an order and the shopper's e-mail is already verified, it runs
at once (the shop checks that the e-mail owns that order too); otherwise the order form asks for
what is missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.conversation.several_requests import Task, order_tasks_in

__all__ = [
    "NEXT_ORDER_ID",
    "NEXT_ORDER_TASK",
    "Next",
    "first_task",
    "next_task",
    "own_order_id",
]

NEXT_ORDER_TASK = "next_order_task"
NEXT_ORDER_ID = "next_order_id"
RUN_TASK = "action_run_order_task"
ORDER_FORM = "order_form"
# How the second request is announced: "Now, your refund for order A1005."
TASK_LABELS = {
    "track_order": "where your order is",
    "cancel_order": "cancelling your order",
    "change_order": "changing your order",
    "check_cancellation_fee": "the cost of cancelling",
    "change_shipping_address": "the delivery address",
    "get_refund": "your refund",
    "return_item": "your return",
    "track_refund": "your refund",
    "get_invoice": "your invoice",
    "check_invoice": "your invoice",
}


@dataclass(frozen=True)
class Next:
    """What starts the waiting task: a sentence, the slots to set and the action to run."""

    text: str
    slots: dict[str, Any] = field(default_factory=dict)
    followup: str = ORDER_FORM


def first_task(text: str, intent: str) -> tuple[str, dict[str, Any]]:
    """The task to run now for ``text`` (classified as ``intent``) and the slots that queue the
    second one. A message with fewer than two order tasks runs its intent and queues nothing."""
    tasks = order_tasks_in(text)
    if not tasks:
        return intent, {NEXT_ORDER_TASK: None, NEXT_ORDER_ID: None}
    first, second = tasks[0], tasks[1]
    slots: dict[str, Any] = {NEXT_ORDER_TASK: second.task, NEXT_ORDER_ID: second.order_id}
    if first.order_id:
        slots["order_id"] = first.order_id
    return first.task, slots


def own_order_id(value: str, text: str, queued_order_id: str | None) -> str:
    """The order number of the task that runs now. Rasa fills ``order_id`` with the last number
    of the message, which belongs to the waiting task when the message names two orders."""
    if not queued_order_id or value != queued_order_id:
        return value
    tasks: list[Task] = order_tasks_in(text)
    first = tasks[0].order_id if tasks else None
    return first if first and first != queued_order_id else value


def next_task(
    slots: Mapping[str, Any], reply_slots: Mapping[str, Any], reply_followup: str | None
) -> Next | None:
    """The waiting task to start once the current reply is sent, or None.

    Args:
        slots: The conversation's slots before the reply.
        reply_slots: The slots the reply sets.
        reply_followup: The action the reply asks for next (a form, a handoff).

    Returns None when nothing waits, or when the current task still waits for the shopper (a
    change to confirm, an address to type, a person to take over).
    """
    task = slots.get(NEXT_ORDER_TASK)
    if not task or reply_followup or reply_slots.get("awaiting_confirmation"):
        return None
    order_id = slots.get(NEXT_ORDER_ID)
    email = reply_slots.get("email", slots.get("email"))
    label = TASK_LABELS.get(str(task), "your other request")
    base = {
        NEXT_ORDER_TASK: None,
        NEXT_ORDER_ID: None,
        "order_task": task,
        "awaiting_confirmation": None,
    }
    if order_id and email:
        return Next(
            text=f"Now, {label} for order {order_id}:",
            slots={**base, "order_id": order_id},
            followup=RUN_TASK,
        )
    return Next(
        text=f"Now, {label}.",
        slots={**base, "order_id": order_id, "requested_slot": None},
        followup=ORDER_FORM,
    )
