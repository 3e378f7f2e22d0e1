"""How order facts read to a shopper: status lines, refusals, refunds, invoices, order cards."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from bot.commerce.views import AddressView, InvoiceView, OrderView, RefundView, ReturnView
from bot.messages import OrderStatusCard, order_item, order_status_card, tracking_event

STATUS_MEANING = {
    "pending": "placed, and we're waiting for the payment to be confirmed",
    "paid": "paid and waiting to be packed in our warehouse",
    "packed": "packed and about to be handed to the carrier",
    "shipped": "on its way",
    "delivered": "delivered",
    "cancelled": "cancelled",
    "returned": "returned to us",
    "refunded": "refunded",
}
REFUND_STATUS_MEANING = {
    "requested": "requested and waiting to be processed",
    "approved": "approved and being paid out",
    "processed": "paid out",
    "rejected": "rejected",
    "under_review": "being reviewed by our team",
}


def money(amount: Decimal | float, currency: str = "EUR") -> str:
    """Formats an amount as the shop shows prices: €12.95."""
    symbol = "€" if currency == "EUR" else f"{currency} "
    return f"{symbol}{Decimal(amount):.2f}"


def day(value: date | datetime | None) -> str:
    """A date as "Monday 3 November 2026"."""
    if value is None:
        return "unknown"
    return f"{value:%A} {value.day} {value:%B %Y}"


def address_text(address: AddressView) -> str:
    """One-line address."""
    parts = [
        address.line1,
        address.line2,
        f"{address.postcode} {address.city}",
        address.country_code,
    ]
    return ", ".join(p for p in parts if p)


def describe_order(order: OrderView) -> str:
    """The status of an order, with carrier, latest tracking events and expected delivery."""
    items = ", ".join(f"{line.qty} × {line.name}" for line in order.lines)
    lines = [
        f"Order {order.order_id} ({items}; total {money(order.total, order.currency)}) is "
        f"{STATUS_MEANING.get(str(order.status), str(order.status))}."
    ]
    if order.carrier and order.tracking_number:
        lines.append(f"Carrier: {order.carrier}, tracking number {order.tracking_number}.")
    for event in order.tracking_events[:3]:
        lines.append(f"• {event.at:%d %b %H:%M} — {event.description} ({event.location})")
    if order.delivered_at:
        lines.append(f"It was delivered on {day(order.delivered_at)}.")
    elif order.estimated_delivery and str(order.status) in ("paid", "packed", "shipped"):
        lines.append(f"Expected delivery: {day(order.estimated_delivery)}.")
    return "\n".join(lines)


def order_card(order: OrderView) -> OrderStatusCard:
    """A structured order-status card for rich channels (the web widget)."""
    return order_status_card(
        order_id=order.order_id,
        status=str(order.status),
        placed_at=order.placed_at,
        total=order.total,
        currency=order.currency,
        items=[order_item(line.sku, line.name, line.qty) for line in order.lines],
        carrier=order.carrier,
        tracking_number=order.tracking_number,
        estimated_delivery=order.estimated_delivery,
        events=[tracking_event(e.at, e.location, e.description) for e in order.tracking_events],
    )


def describe_refund(refund: RefundView, *, just_created: bool = False) -> str:
    """A refund's reference, amount and state."""
    state = REFUND_STATUS_MEANING.get(str(refund.status), str(refund.status))
    if just_created and refund.created:
        text = (
            f"I've requested a refund of {money(refund.amount, refund.currency)} for order "
            f"{refund.order_id}. Your reference is {refund.reference}; you can ask me about it "
            "any time."
        )
    else:
        text = (
            f"Refund {refund.reference} for order {refund.order_id} "
            f"({money(refund.amount, refund.currency)}) is {state}."
        )
        if just_created:
            text = "There's already a refund for this order. " + text
    if refund.needs_agent:
        text += (
            " Because of the amount, a member of our team reviews it first; "
            "they'll e-mail you within 1 business day."
        )
    elif str(refund.status) == "processed" and refund.processed_at:
        text += f" It was paid out on {day(refund.processed_at)}; banks can take 3–5 business days."
    elif str(refund.status) in ("requested", "approved"):
        text += " Refunds go back to the original payment method within 5 business days."
    return text


def describe_return(started: ReturnView) -> str:
    """A started return: reference, label, costs and what happens next."""
    if not started.created:
        return (
            f"There's already a return for order {started.order_id}: reference "
            f"{started.reference} ({str(started.status).replace('_', ' ')})."
        )
    text = f"I've started a return for order {started.order_id}. Your return reference is {started.reference}."
    if started.prepaid_label:
        text += " We'll e-mail you a prepaid return label."
    else:
        text += (
            f" Please send the parcel back with a carrier of your choice; return shipping of "
            f"{money(started.return_shipping_fee)} is deducted from the refund."
        )
    if started.deadline:
        text += f" Please send it by {day(started.deadline)}."
    text += (
        f" Once it reaches our warehouse we refund about {money(started.refund_estimate)} "
        "within 5 business days."
    )
    if started.excluded:
        text += (
            " Some items can't be returned: "
            + ", ".join(
                f"{sku} ({str(reason).replace('_', ' ')})"
                for sku, reason in started.excluded.items()
            )
            + "."
        )
    return text


def describe_invoice(invoice: InvoiceView) -> str:
    """An invoice's number, date and amounts, and where to download it."""
    return (
        f"Invoice {invoice.number} for order {invoice.order_id} was issued on "
        f"{day(invoice.issued_at)}: {money(invoice.amount, invoice.currency)} including "
        f"{money(invoice.vat_amount, invoice.currency)} VAT. It was e-mailed with your shipping "
        "confirmation, and you can download it any time under Account → Orders."
    )


_REFUSALS = {
    "already_packed": "Order {order_id} is already packed, so its delivery address can't be "
    "changed any more.",
    "already_shipped": "Order {order_id} has already shipped, so it can't be cancelled or "
    "changed. Once it arrives you can return it within 30 days, and I can start that for you.",
    "already_delivered": "Order {order_id} has already been delivered, so it can't be cancelled. "
    'You can return it within 30 days of delivery instead; just say "return an item".',
    "already_cancelled": "Order {order_id} is already cancelled.",
    "already_returned": "Order {order_id} has already been returned.",
    "already_refunded": "Order {order_id} has already been refunded.",
    "not_delivered": "Order {order_id} hasn't been delivered yet. If you don't want it any more "
    "you can cancel it while it's not shipped, or return it after delivery.",
    "cancel_instead": "Order {order_id} hasn't shipped yet, so the quickest way to get your money "
    'back is to cancel it. Say "cancel my order" and I\'ll do it.',
    "different_zone": "The new address is in a different shipping zone, which changes the carrier "
    "and price, so our team needs to do this. Please contact support@fernhill-goods.example.",
    "unsupported_country": "Sorry, we don't ship to that country.",
    "invalid_address": "That address isn't complete: {errors}",
    "window_expired": "The 30-day return window for order {order_id} ended on {deadline}, so I "
    "can't start a return. If an item is faulty, our 2-year guarantee still covers it.",
    "final_sale": "The items in order {order_id} were final-sale items, which can't be returned.",
    "nothing_to_refund": "There's nothing left to refund on order {order_id}.",
}


def refusal_text(reason: Any, order_id: str | None, details: dict[str, Any] | None) -> str:
    """Explains, in the shop's terms, why a request on an order was refused."""
    details = dict(details or {})
    deadline = details.get("deadline")
    errors = details.get("errors") or {}
    template = _REFUSALS.get(str(reason))
    if template is None:
        return f"Sorry, I can't do that for order {order_id} ({str(reason).replace('_', ' ')})."
    return template.format(
        order_id=order_id,
        deadline=day(deadline) if isinstance(deadline, (date, datetime)) else deadline,
        errors="; ".join(f"{k}: {v}" for k, v in dict(errors).items()),
    )
