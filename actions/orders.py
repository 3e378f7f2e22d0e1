"""Order tasks: remember the task, verify the shopper, run it, confirm changes."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import apologise, latest_intent, latest_text, send
from actions.knowledge import conversation_facts, previous_user_text
from bot.commerce.shared import order_service
from bot.conversation import (
    empathy,
    order_numbers,
    order_questions,
    order_tasks,
    several_requests,
    task_queue,
    task_switch,
)
from bot.conversation.knowledge_answers import answer_question
from bot.conversation.routing import upset_order_task
from bot.conversation.unclear import knowledge_can_answer
from bot.messages import ActionEvent, UserEvent, read_events
from bot.messages.replies import Reply

log = logging.getLogger(__name__)

ORDER_TASKS = {
    "track_order",
    "cancel_order",
    "change_order",
    "check_cancellation_fee",
    "change_shipping_address",
    "get_refund",
    "return_item",
    "track_refund",
    "get_invoice",
    "check_invoice",
}


class ActionSetOrderTask(Action):
    """Records which order task the shopper asked for (from the intent)."""

    def name(self) -> str:
        return "action_set_order_task"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        intent = latest_intent(tracker)
        text = latest_text(tracker)
        if intent not in ORDER_TASKS:
            # Started by another action for an upset message about the shopper's own order:
            # no rule follows with the form, so it is started here.
            task = upset_order_task(text) or "track_order"
            return [
                SlotSet("order_task", task),
                SlotSet("awaiting_confirmation", None),
                FollowupAction("order_form"),
            ]
        # "Cancel order A1004 and tell me where order A1005 is": the first now, the second next.
        task, queued = task_queue.first_task(text, intent)
        # Another task in the middle of one that already has its order number: ask once.
        switch = task_switch.decide_switch(
            tracker.get_slot("order_task"),
            task,
            tracker.get_slot("order_id"),
            tracker.get_slot(task_switch.SWITCH_SLOT),
            tracker.active_loop_name == "order_form",
        )
        task = switch.task
        changes = {**(switch.reply.slots if switch.reply else {}), **queued}
        events: list[EventType] = (
            send(dispatcher, replace(switch.reply, slots={}))
            if switch.reply and switch.reply.text
            else []
        )
        parts = several_requests.parts_of(text)
        if parts is not None and parts.question:
            # "Cancel A1004 and how long do refunds take?": the question is answered first.
            try:
                reply = await asyncio.to_thread(answer_first, tracker, parts.question)
            except Exception:  # noqa: BLE001 - the task goes on without the answer
                log.exception("answering the question beside an order task failed")
                reply = None
            if reply is not None:
                events += send(dispatcher, reply)
        return [
            *events,
            SlotSet("order_task", task),
            SlotSet("awaiting_confirmation", None),
            # Cleared only where set: a plain task start sets the task and nothing else.
            *(
                SlotSet(name, value)
                for name, value in changes.items()
                if value is not None or tracker.get_slot(name) is not None
            ),
        ]


class ActionAskOrderNumber(Action):
    """Asks for the order number when the order form needs it. When the message that started the
    form was a question about how orders work ("is there a fee to cancel once it's packed?") and
    the knowledge base clearly answers it, the answer comes first and the question for the
    number becomes an offer (see :mod:`bot.conversation.order_questions`)."""

    def name(self) -> str:
        return "action_ask_order_form_order_id"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        text = latest_text(tracker)
        if (
            started_by_latest_message(tracker)
            and order_questions.asks_how_things_work(text)
            and several_requests.parts_of(text) is None  # its question was answered already
        ):
            try:
                reply = await asyncio.to_thread(answer_first, tracker, text)
            except Exception:  # noqa: BLE001 - the plain question for the number always works
                log.exception("answering an order question from the knowledge base failed")
                reply = None
            if reply is not None:
                send(dispatcher, reply)
                dispatcher.utter_message(text=order_questions.ASK_AS_OFFER)
                return []
        sorry = (
            empathy.ask_order_number(text, tracker.get_slot("order_task") or "")
            if started_by_latest_message(tracker)
            else None
        )
        if sorry:
            dispatcher.utter_message(text=sorry)
        else:
            dispatcher.utter_message(response="utter_ask_order_form_order_id")
        return []


def started_by_latest_message(tracker: Tracker) -> bool:
    """True when the order form was started by the shopper's latest message (its first question
    for the number, not a repeat after a wrong one)."""
    for event in reversed(read_events(tracker.events)):
        if isinstance(event, UserEvent):
            return False
        if isinstance(event, ActionEvent) and event.name == "action_set_order_task":
            return True
    return False


def answer_first(tracker: Tracker, text: str) -> Reply | None:
    """The knowledge answer to ``text`` when the knowledge base clearly holds one, else None
    (nothing is recorded as a knowledge gap: the order form goes on either way)."""
    previous = previous_user_text(tracker)
    if not knowledge_can_answer(text, previous):
        return None
    intent = latest_intent(tracker)
    reply = answer_question(
        text, intent, previous, facts=conversation_facts(tracker), on_gap=lambda _: None
    )
    return reply if order_questions.is_answer(reply) else None


class ValidateOrderForm(FormValidationAction):
    """Reads the order number and e-mail, and checks that the e-mail owns the order."""

    def name(self) -> str:
        return "validate_order_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        if tracker.get_slot("order_task") == "track_refund" and tracker.get_slot(
            "refund_reference"
        ):
            return ["email"]
        return domain_slots

    async def extract_order_id(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        # The NLU finds "A1234"; this also accepts "a-1234", "#A1234" or just "1234" when asked.
        if tracker.get_slot("requested_slot") != "order_id" or tracker.get_slot("order_id"):
            return {}
        found = order_numbers.order_id_in_text(latest_text(tracker))
        return {"order_id": found} if found else {}

    async def extract_email(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != "email" or tracker.get_slot("email"):
            return {}
        match = order_numbers.EMAIL.search(latest_text(tracker))
        return {"email": match.group(0)} if match else {}

    async def validate_order_id(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        value = task_queue.own_order_id(
            str(value or ""), latest_text(tracker), tracker.get_slot(task_queue.NEXT_ORDER_ID)
        )
        reply = order_tasks.check_order_id(order_service(), value)
        return send_validation(dispatcher, reply, "order_id")

    async def validate_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if str(value or "").strip().lower() not in latest_text(tracker).lower():
            # Remembered from an earlier order, not typed now: re-check it quietly.
            reply = order_tasks.check_remembered_email(
                order_service(), order_id=tracker.get_slot("order_id"), email=str(value or "")
            )
            return send_validation(dispatcher, reply, "email")
        reply = order_tasks.check_email(
            order_service(),
            order_id=tracker.get_slot("order_id"),
            refund_reference=tracker.get_slot("refund_reference")
            if tracker.get_slot("order_task") == "track_refund"
            else None,
            email=str(value or ""),
            failures=int(tracker.get_slot("verification_failures") or 0),
        )
        return send_validation(dispatcher, reply, "email")


def send_validation(dispatcher: CollectingDispatcher, reply: Reply, slot: str) -> dict[str, Any]:
    """Sends a validation reply and returns its slot values as a form expects them."""
    if reply.text or reply.response:
        send(dispatcher, reply)
    return dict(reply.slots)


class ActionRunOrderTask(Action):
    """Runs the requested task once the shopper is verified."""

    def name(self) -> str:
        return "action_run_order_task"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        try:
            reply = order_tasks.run_task(
                order_service(),
                task=tracker.get_slot("order_task") or "track_order",
                order_id=tracker.get_slot("order_id"),
                email=tracker.get_slot("email"),
                refund_reference=tracker.get_slot("refund_reference"),
                message=latest_text(tracker),
            )
        except Exception as error:  # noqa: BLE001 - apologise, log, keep the conversation
            return apologise(dispatcher, self.name(), error)
        return send(dispatcher, reply) + start_next_task(dispatcher, tracker, reply)


class ValidateAddressForm(FormValidationAction):
    """Checks that the new address can be read and is in a country the shop ships to."""

    def name(self) -> str:
        return "validate_address_form"

    async def validate_new_address(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return send_validation(
            dispatcher, order_tasks.check_address(str(value or "")), "new_address"
        )


class ActionChangeAddressConfirm(Action):
    """Shows the new address and asks the shopper to confirm the change."""

    def name(self) -> str:
        return "action_change_address_confirm"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        reply = order_tasks.ask_address_confirmation(
            tracker.get_slot("order_id"), tracker.get_slot("new_address")
        )
        return send(dispatcher, reply)


class ActionConfirm(Action):
    """Handles the shopper's yes or no: carries out or drops the change that waits for it."""

    def name(self) -> str:
        return "action_confirm"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        intent = latest_intent(tracker)
        asked = tracker.get_slot(task_switch.SWITCH_SLOT)
        if asked and tracker.active_loop_name == "order_form":
            # "Shall I cancel it instead?" "yes": the form goes on with the new task.
            answer = task_switch.switched(asked, affirmed=intent == "affirm")
            return send(dispatcher, answer) if answer else []
        try:
            reply = order_tasks.answer_confirmation(
                order_service(),
                pending=tracker.get_slot("awaiting_confirmation"),
                affirmed=intent == "affirm",
                order_id=tracker.get_slot("order_id"),
                email=tracker.get_slot("email"),
                new_address=tracker.get_slot("new_address"),
            )
        except Exception as error:  # noqa: BLE001
            return apologise(dispatcher, self.name(), error) + [
                SlotSet("awaiting_confirmation", None)
            ]
        return send(dispatcher, reply) + start_next_task(dispatcher, tracker, reply)


def start_next_task(
    dispatcher: CollectingDispatcher, tracker: Tracker, reply: Reply
) -> list[EventType]:
    """Starts the second order task of the message that asked for two, once the first is over
    (see :mod:`bot.conversation.task_queue`)."""
    following = task_queue.next_task(tracker.slots, reply.slots, reply.followup)
    if following is None:
        return []
    dispatcher.utter_message(text=following.text)
    return [
        *(SlotSet(name, value) for name, value in following.slots.items()),
        FollowupAction(following.followup),
    ]
