"""Order tasks in conversation: verification, then track / cancel / change / refund / return /
invoice, with every fact read from the shop database through the commerce service."""

from __future__ import annotations

import logging
from typing import Any

from bot.commerce import (
    ActionNotAllowed,
    AddressInput,
    CommerceBackend,
    CommerceError,
    CommerceUnavailable,
    InvoiceNotAvailable,
    OrderNotFound,
    RefundNotFound,
    VerificationFailed,
    normalise_order_id,
)
from bot.commerce.policy import address_change_decision
from bot.conversation.addresses import AddressParseError, parse_address
from bot.conversation.order_texts import (
    address_text,
    describe_invoice,
    describe_order,
    describe_refund,
    describe_return,
    money,
    order_card,
    refusal_text,
)
from bot.handoff.announcements import reserved_task_reply
from bot.handoff.queue import Reason
from bot.handoff.triggers import refund_needs_agent
from bot.messages.replies import Button, Reply

log = logging.getLogger(__name__)
MAX_VERIFICATION_FAILURES = 3
YES_NO = [Button("Yes, go ahead", "/affirm"), Button("No, keep it", "/deny")]
SHOP_BUSY = (
    "Sorry, our order system is busy right now, so I can't look up or change orders at the moment. "
    'Please try again in a minute, or say "human agent" to reach our team.'
)
"""The reply while the shop database cannot be reached (the order system answers again by
itself once it is back)."""


def check_order_id(service: CommerceBackend, value: str) -> Reply:
    """Validates an order number: well-formed and known to the shop."""
    order_id = normalise_order_id(value)
    if order_id is None:
        return Reply(
            text=f'"{value[:40]}" doesn\'t look like one of our order numbers. They start with an A '
            "followed by four digits, like A1234.",
            slots={"order_id": None},
        )
    try:
        known = service.order_exists(order_id)
    except CommerceUnavailable:
        log.exception("shop database unavailable while checking %s", order_id)
        return Reply(text=SHOP_BUSY, slots={"order_id": None, "requested_slot": None})
    if not known:
        return Reply(
            text=f"I couldn't find an order {order_id}. Could you check the number in your "
            "confirmation e-mail? It starts with an A followed by four digits.",
            slots={"order_id": None},
        )
    return Reply(slots={"order_id": order_id})


def check_email(
    service: CommerceBackend,
    *,
    order_id: str | None,
    refund_reference: str | None,
    email: str,
    failures: int,
) -> Reply:
    """Checks that ``email`` is the one on the order (or refund); counts failed attempts."""
    email = email.strip()
    if "@" not in email:
        return Reply(
            text="That doesn't look like an e-mail address. Could you type it again?",
            slots={"email": None},
        )
    try:
        if refund_reference:
            service.refund_status(refund_reference, email)
        else:
            service.get_order(order_id or "", email)
    except VerificationFailed:
        failures += 1
        if failures >= MAX_VERIFICATION_FAILURES:
            return Reply(
                text="Sorry, that e-mail address still doesn't match, so I can't show or change "
                "this order. For your security I'll stop here. Our team can help you at "
                "support@fernhill-goods.example or +31 30 555 0142.",
                slots={
                    "email": None,
                    "verification_failures": float(failures),
                    "requested_slot": None,
                    "order_task": None,
                },
            )
        subject = f"refund {refund_reference}" if refund_reference else f"order {order_id}"
        return Reply(
            text=f"Sorry, that e-mail address doesn't match {subject}. Please use the address "
            "the order was placed with.",
            slots={"email": None, "verification_failures": float(failures)},
        )
    except RefundNotFound:
        return Reply(
            text=f"I couldn't find a refund with reference {refund_reference}. Refund references "
            "look like RF-12345.",
            slots={"refund_reference": None, "email": None, "requested_slot": None},
        )
    except OrderNotFound:
        return Reply(
            text=f"I couldn't find order {order_id}.", slots={"order_id": None, "email": None}
        )
    except CommerceUnavailable:
        log.exception("shop database unavailable while verifying")
        return Reply(text=SHOP_BUSY, slots={"email": None, "requested_slot": None})
    return Reply(slots={"email": email, "verified_order": order_id, "verification_failures": 0.0})


def check_remembered_email(service: CommerceBackend, *, order_id: str | None, email: str) -> Reply:
    """Re-uses an e-mail given earlier in the conversation if it owns this order too.

    When it doesn't, the slot is cleared without a warning or a failed attempt, so the form
    simply asks for the e-mail of this order.
    """
    try:
        service.get_order(order_id or "", email)
    except CommerceError:
        return Reply(slots={"email": None})
    return Reply(slots={"email": email, "verified_order": order_id})


def run_task(
    service: CommerceBackend,
    *,
    task: str,
    order_id: str | None,
    email: str | None,
    refund_reference: str | None = None,
    message: str = "",
) -> Reply:
    """Runs an order task for a verified shopper and says what happened."""
    if not email or (not order_id and not refund_reference):
        return Reply(text="I need the order number and its e-mail address first.")
    try:
        return _TASKS[task](service, order_id or "", email, refund_reference, message)
    except (VerificationFailed, OrderNotFound):
        return Reply(
            text="I couldn't verify that order, so I can't help with it here.",
            slots={"verified_order": None},
        )
    except CommerceUnavailable:
        log.exception("shop database unavailable during %s", task)
        return Reply(text=SHOP_BUSY)
    except ActionNotAllowed as refusal:
        return Reply(text=refusal_text(refusal.reason, refusal.order_id, refusal.details))


def _track(service: CommerceBackend, order_id: str, email: str, *_: Any) -> Reply:
    order = service.get_order(order_id, email)
    return Reply(text=describe_order(order), custom=order_card(order))


def _quote_cancel(service: CommerceBackend, order_id: str, email: str, *_: Any) -> Reply:
    quote = service.cancellation_fee(order_id, email)
    if not quote.allowed:
        return Reply(text=refusal_text(quote.reason, order_id, {"status": quote.status}))
    fee = "free of charge" if not quote.fee else f"with a re-stocking fee of {money(quote.fee)}"
    return Reply(
        text=f"Order {order_id} is {quote.status} and can be cancelled {fee}. "
        "Shall I cancel it now?",
        buttons=YES_NO,
        slots={"awaiting_confirmation": "cancel_order"},
    )


def _fee(service: CommerceBackend, order_id: str, email: str, *_: Any) -> Reply:
    quote = service.cancellation_fee(order_id, email)
    if not quote.allowed:
        return Reply(text=refusal_text(quote.reason, order_id, {"status": quote.status}))
    if not quote.fee:
        return Reply(
            text=f"Cancelling order {order_id} ({quote.status}) is free of charge. "
            'Just say "cancel my order" if you\'d like me to do it.'
        )
    return Reply(
        text=f"Order {order_id} is already packed, so cancelling it costs a re-stocking "
        f'fee of {money(quote.fee)}. Say "cancel my order" if you still want to.'
    )


def _change_order(service: CommerceBackend, order_id: str, email: str, *_: Any) -> Reply:
    quote = service.cancellation_fee(order_id, email)
    base = "Items, sizes or quantities can't be changed once an order is placed. "
    if quote.allowed and not quote.fee:
        return Reply(
            text=base + f"Order {order_id} is still {quote.status}, so I can cancel it free of "
            "charge and you can place a new order with the right items. Shall I cancel it?",
            buttons=YES_NO,
            slots={"awaiting_confirmation": "cancel_order"},
        )
    return Reply(
        text=base + refusal_text(quote.reason, order_id, {"status": quote.status})
        if not quote.allowed
        else base + f"Order {order_id} is already packed; "
        f"cancelling it costs {money(quote.fee)}, or you can return items after delivery."
    )


def _change_address(service: CommerceBackend, order_id: str, email: str, *_: Any) -> Reply:
    order = service.get_order(order_id, email)
    decision = address_change_decision(order.status)
    if not decision.allowed:
        return Reply(text=refusal_text(decision.reason, order_id, {"status": order.status}))
    return Reply(
        text=f"Order {order_id} hasn't been packed yet, so its delivery address can still change. "
        f"It's now going to: {address_text(order.shipping_address)}.",
        slots={"new_address": None},
        followup="address_form",
    )


def _refund(service: CommerceBackend, order_id: str, email: str, _ref: Any, message: str) -> Reply:
    total = service.get_order(order_id, email).total
    if refund_needs_agent(total):  # large refunds are reserved to people
        return Reply(
            text=reserved_task_reply(f"a refund of {money(total)}"),
            slots={"handoff_reason": Reason.REFUND_OVER_LIMIT.value},
            followup="action_handoff",
        )
    refund = service.request_refund(order_id, email, reason=message[:500] or "requested in chat")
    return Reply(
        text=describe_refund(refund, just_created=True),
        slots={"refund_reference": refund.reference},
    )


def _return(service: CommerceBackend, order_id: str, email: str, _ref: Any, message: str) -> Reply:
    started = service.start_return(order_id, email, reason=message[:500] or "requested in chat")
    return Reply(text=describe_return(started))


def _track_refund(
    service: CommerceBackend, order_id: str, email: str, reference: str | None, _m: Any
) -> Reply:
    if reference:
        return Reply(text=describe_refund(service.refund_status(reference, email)))
    refunds = service.refunds_for_order(order_id, email)
    if not refunds:
        return Reply(
            text=f"There's no refund for order {order_id} yet. If you'd like one, say "
            '"I want a refund".'
        )
    return Reply(text="\n".join(describe_refund(r) for r in refunds))


def _invoice(service: CommerceBackend, order_id: str, email: str, *_: Any) -> Reply:
    try:
        return Reply(text=describe_invoice(service.get_invoice(order_id, email)))
    except InvoiceNotAvailable as missing:
        return Reply(
            text=f"Order {order_id} is {missing.status}, and the invoice is issued when "
            "the order ships. You'll get it by e-mail with the shipping confirmation."
        )


_TASKS = {
    "track_order": _track,
    "cancel_order": _quote_cancel,
    "change_order": _change_order,
    "check_cancellation_fee": _fee,
    "change_shipping_address": _change_address,
    "get_refund": _refund,
    "return_item": _return,
    "track_refund": _track_refund,
    "get_invoice": _invoice,
    "check_invoice": _invoice,
}


def check_address(text: str) -> Reply:
    """Validates the typed address; an unreadable one is asked again with the reason."""
    try:
        parsed = parse_address(text)
    except AddressParseError as problem:
        return Reply(
            text=f'Sorry, {problem} Please try again, e.g. "Oudegracht 12, 3511 AB '
            'Utrecht, Netherlands".',
            slots={"new_address": None},
        )
    return Reply(slots={"new_address": parsed.one_line()})


def ask_address_confirmation(order_id: str | None, new_address: str | None) -> Reply:
    """Asks the shopper to confirm the new address before it is written."""
    return Reply(
        text=f"Change the delivery address of order {order_id} to {new_address}?",
        buttons=[Button("Yes, change it", "/affirm"), Button("No, keep the old one", "/deny")],
        slots={"awaiting_confirmation": "change_shipping_address"},
    )


def answer_confirmation(
    service: CommerceBackend,
    *,
    pending: str | None,
    affirmed: bool,
    order_id: str | None,
    email: str | None,
    new_address: str | None,
) -> Reply:
    """Carries out (yes) or drops (no) the change that waited for confirmation."""
    clear = {"awaiting_confirmation": None}
    if pending is None:
        return Reply(response="utter_how_can_i_help" if affirmed else "utter_anything_else")
    if not affirmed:
        return Reply(
            text=f"Okay, I haven't changed anything on order {order_id}. "
            "Is there anything else I can help with?",
            slots=clear,
        )
    try:
        if pending == "cancel_order":
            outcome = service.cancel_order(order_id or "", email or "")
            if not outcome.cancelled:
                return Reply(text=refusal_text(outcome.reason, order_id, {}), slots=clear)
            return Reply(text=outcome_text_cancel(order_id, outcome), slots=clear)
        if pending == "change_shipping_address":
            parsed = parse_address(new_address or "")
            changed = service.change_shipping_address(
                order_id or "",
                email or "",
                AddressInput(
                    line1=parsed.line1,
                    postcode=parsed.postcode,
                    city=parsed.city,
                    country_code=parsed.country,
                ),
            )
            if not changed.changed:
                return Reply(
                    text=refusal_text(changed.reason, order_id, {"errors": changed.errors}),
                    slots={**clear, "new_address": None},
                )
            return Reply(
                text=f"Done: order {order_id} will now be delivered to {parsed.one_line()}.",
                slots={**clear, "new_address": None},
            )
    except ActionNotAllowed as refusal:
        return Reply(
            text=refusal_text(refusal.reason, refusal.order_id, refusal.details), slots=clear
        )
    except CommerceUnavailable:
        log.exception("shop database unavailable: %s for %s not carried out", pending, order_id)
        return Reply(text=SHOP_BUSY, slots=clear)
    except (CommerceError, AddressParseError):
        log.exception("could not carry out %s for %s", pending, order_id)
        return Reply(response="utter_error", slots=clear)
    return Reply(response="utter_anything_else", slots=clear)


def outcome_text_cancel(order_id: str | None, outcome: Any) -> str:
    """Says what the cancellation did: fee, refund and its timing."""
    text = f"Order {order_id} is cancelled."
    if outcome.fee:
        text += f" A re-stocking fee of {money(outcome.fee)} applies."
    if outcome.refund is not None:
        text += (
            f" Your refund of {money(outcome.refund.amount)} (reference "
            f"{outcome.refund.reference}) goes back to your original payment method "
            "within 3 business days."
        )
    return text
