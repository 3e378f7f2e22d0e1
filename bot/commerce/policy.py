"""The shop's order rules as pure functions (numbers from ``docs/shop-facts.md``).

Each function returns a small frozen result with ``allowed``, a machine-readable
:class:`Reason` and the facts a reply needs (fees, deadlines, amounts). Nothing here touches
the database or writes prose. The shipping zones table (``ZONES``) lives in
:mod:`bot.commerce.zones`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

from bot.commerce.enums import OrderStatus, RefundStatus, Zone
from bot.commerce.zones import ZONES

ZERO = Decimal("0.00")
PACKED_CANCELLATION_FEE = Decimal("4.95")
RETURN_WINDOW_DAYS = 30
BEAUTY_RETURN_WINDOW_DAYS = 14
REFUND_REVIEW_THRESHOLD = Decimal("250.00")
PENDING_AUTO_CANCEL_HOURS = 48
CANCELLED_REFUND_BUSINESS_DAYS = 3
RETURN_REFUND_BUSINESS_DAYS = 5
FREE_CANCEL_STATUSES = frozenset({OrderStatus.PENDING, OrderStatus.PAID})
ADDRESS_CHANGE_STATUSES = frozenset({OrderStatus.PENDING, OrderStatus.PAID})
SHIPPED_STATUSES = frozenset(
    {OrderStatus.SHIPPED, OrderStatus.DELIVERED, OrderStatus.RETURNED, OrderStatus.REFUNDED}
)
_FREE_RETURN_WORDS = ("faulty", "defect", "broken", "damaged", "wrong", "not working")


class Reason(StrEnum):
    """Machine-readable outcome codes shared by all decisions."""

    CANCEL_FREE = "cancel_free"
    CANCEL_WITH_FEE = "cancel_with_fee"
    ADDRESS_CHANGE_ALLOWED = "address_change_allowed"
    RETURN_ALLOWED = "return_allowed"
    REFUND_ALLOWED = "refund_allowed"
    NEEDS_REVIEW = "needs_review"
    ALREADY_PACKED = "already_packed"
    ALREADY_SHIPPED = "already_shipped"
    ALREADY_DELIVERED = "already_delivered"
    ALREADY_CANCELLED = "already_cancelled"
    ALREADY_RETURNED = "already_returned"
    ALREADY_REFUNDED = "already_refunded"
    NOT_DELIVERED = "not_delivered"
    CANCEL_INSTEAD = "cancel_instead"
    INVALID_ADDRESS = "invalid_address"
    UNSUPPORTED_COUNTRY = "unsupported_country"
    DIFFERENT_ZONE = "different_zone"
    WINDOW_EXPIRED = "window_expired"
    FINAL_SALE = "final_sale"
    UNKNOWN_ITEMS = "unknown_items"
    NOTHING_TO_REFUND = "nothing_to_refund"
    INVALID_AMOUNT = "invalid_amount"
    AMOUNT_TOO_HIGH = "amount_too_high"


_TERMINAL = {
    OrderStatus.SHIPPED: Reason.ALREADY_SHIPPED,
    OrderStatus.DELIVERED: Reason.ALREADY_DELIVERED,
    OrderStatus.CANCELLED: Reason.ALREADY_CANCELLED,
    OrderStatus.RETURNED: Reason.ALREADY_RETURNED,
    OrderStatus.REFUNDED: Reason.ALREADY_REFUNDED,
}


@dataclass(frozen=True)
class CancelDecision:
    """Whether an order can be cancelled, and at what fee."""

    allowed: bool
    reason: Reason
    status: OrderStatus
    fee: Decimal
    suggest_return: bool


def cancel_decision(status: OrderStatus) -> CancelDecision:
    """Pending or paid: free; packed: €4.95 fee; shipped or delivered: return it instead."""
    if status in FREE_CANCEL_STATUSES:
        return CancelDecision(True, Reason.CANCEL_FREE, status, ZERO, False)
    if status is OrderStatus.PACKED:
        return CancelDecision(True, Reason.CANCEL_WITH_FEE, status, PACKED_CANCELLATION_FEE, False)
    suggest_return = status in (OrderStatus.SHIPPED, OrderStatus.DELIVERED)
    return CancelDecision(False, _TERMINAL[status], status, ZERO, suggest_return)


@dataclass(frozen=True)
class AddressChangeDecision:
    """Whether the shipping address of an order can still change."""

    allowed: bool
    reason: Reason
    status: OrderStatus


def address_change_decision(
    status: OrderStatus, current_zone: Zone | None = None, new_zone: Zone | None = None
) -> AddressChangeDecision:
    """Pending or paid orders only, and within the order's shipping zone.

    A new zone would change the carrier and the shipping price that was paid, so that goes
    to a human agent (reason ``different_zone``).
    """
    if status not in ADDRESS_CHANGE_STATUSES:
        reason = Reason.ALREADY_PACKED if status is OrderStatus.PACKED else _TERMINAL[status]
        return AddressChangeDecision(False, reason, status)
    if current_zone is not None and new_zone is not None and new_zone is not current_zone:
        return AddressChangeDecision(False, Reason.DIFFERENT_ZONE, status)
    return AddressChangeDecision(True, Reason.ADDRESS_CHANGE_ALLOWED, status)


def is_beauty(category: str) -> bool:
    """Whether a category is beauty & care (14-day, unopened-only returns)."""
    return "beauty" in category.casefold()


def is_free_return_reason(reason: str) -> bool:
    """Faulty or wrong items are always returned free of charge."""
    text = reason.casefold()
    return any(word in text for word in _FREE_RETURN_WORDS)


@dataclass(frozen=True)
class ReturnTerms:
    """Money terms of a return: the shipping fee deducted and the refund that follows."""

    return_shipping_fee: Decimal
    refund_estimate: Decimal
    prepaid_label: bool


def return_terms(zone: Zone, reason_text: str, value: Decimal) -> ReturnTerms:
    """Free (prepaid label) in NL and EU1 or for faulty/wrong items; otherwise €6.95 deducted.

    Args:
        zone: The order's shipping zone.
        reason_text: Why the items go back.
        value: What the returned items cost.
    """
    fee = ZERO if is_free_return_reason(reason_text) else ZONES[zone].return_shipping_fee
    return ReturnTerms(fee, max(value - fee, ZERO), fee == ZERO)


@dataclass(frozen=True)
class ReturnItem:
    """One order line considered for a return."""

    sku: str
    category: str
    final_sale: bool
    amount: Decimal


@dataclass(frozen=True)
class ReturnDecision:
    """Which items can go back, until when, and what the refund will roughly be.

    Attributes:
        deadline: Last day to start a return of regular items (``None`` if not delivered).
        eligible_skus: Items that can be returned.
        excluded: SKU → reason (``final_sale`` or ``window_expired``) for the others.
        return_shipping_fee: Deducted from the refund (0 in NL/EU1 or for faulty items).
        refund_estimate: Value of the eligible items minus the fee.
        prepaid_label: Whether a free prepaid label is e-mailed.
        unopened_only: Beauty & care items are included: they must be unopened.
    """

    allowed: bool
    reason: Reason
    deadline: date | None
    eligible_skus: tuple[str, ...] = ()
    excluded: Mapping[str, Reason] = field(default_factory=lambda: MappingProxyType({}))
    return_shipping_fee: Decimal = ZERO
    refund_estimate: Decimal = ZERO
    prepaid_label: bool = False
    unopened_only: bool = False


def return_decision(
    status: OrderStatus,
    delivered_at: datetime | None,
    items: Sequence[ReturnItem],
    zone: Zone,
    reason_text: str,
    now: datetime,
) -> ReturnDecision:
    """30 days from delivery (14 for beauty & care), never final sale, delivered orders only."""
    if status is not OrderStatus.DELIVERED or delivered_at is None:
        reason = (
            _TERMINAL[status]
            if status in _TERMINAL and status is not OrderStatus.SHIPPED
            else Reason.NOT_DELIVERED
        )
        return ReturnDecision(False, reason, None)
    if not items:
        return ReturnDecision(False, Reason.UNKNOWN_ITEMS, None)
    delivered = delivered_at.date()
    deadline = delivered + timedelta(days=RETURN_WINDOW_DAYS)
    today = now.date()
    excluded: dict[str, Reason] = {}
    eligible: list[ReturnItem] = []
    for item in items:
        days = BEAUTY_RETURN_WINDOW_DAYS if is_beauty(item.category) else RETURN_WINDOW_DAYS
        if item.final_sale:
            excluded[item.sku] = Reason.FINAL_SALE
        elif today > delivered + timedelta(days=days):
            excluded[item.sku] = Reason.WINDOW_EXPIRED
        else:
            eligible.append(item)
    frozen_excluded = MappingProxyType(excluded)
    if not eligible:
        reason = (
            Reason.FINAL_SALE
            if all(r is Reason.FINAL_SALE for r in excluded.values())
            else Reason.WINDOW_EXPIRED
        )
        return ReturnDecision(False, reason, deadline, excluded=frozen_excluded)
    terms = return_terms(zone, reason_text, sum((item.amount for item in eligible), ZERO))
    return ReturnDecision(
        allowed=True,
        reason=Reason.RETURN_ALLOWED,
        deadline=deadline,
        eligible_skus=tuple(item.sku for item in eligible),
        excluded=frozen_excluded,
        return_shipping_fee=terms.return_shipping_fee,
        refund_estimate=terms.refund_estimate,
        prepaid_label=terms.prepaid_label,
        unopened_only=any(is_beauty(item.category) for item in eligible),
    )


def refundable_amount(
    *,
    captured: Decimal,
    already_refunded: Decimal,
    cancellation_fee: Decimal = ZERO,
    return_value: Decimal | None = None,
) -> Decimal:
    """How much can still be refunded.

    Args:
        captured: Money actually taken for the order.
        already_refunded: Refunds processed or in progress.
        cancellation_fee: Kept by the shop for a cancelled packed order.
        return_value: For returned orders, the refund due for the returned items.
    """
    ceiling = captured - cancellation_fee
    if return_value is not None:
        ceiling = min(ceiling, return_value)
    return max(ceiling - already_refunded, ZERO)


@dataclass(frozen=True)
class RefundDecision:
    """Whether a refund can be requested, for how much, and whether a human must review it."""

    allowed: bool
    reason: Reason
    amount: Decimal
    max_amount: Decimal
    status: RefundStatus | None
    needs_agent: bool


def refund_decision(
    status: OrderStatus, *, refundable: Decimal, requested: Decimal | None = None
) -> RefundDecision:
    """Delivered, returned or cancelled-and-paid orders; above €250 a human agent reviews it."""

    def refuse(reason: Reason) -> RefundDecision:
        return RefundDecision(False, reason, ZERO, refundable, None, False)

    if status in (OrderStatus.PENDING, OrderStatus.PAID, OrderStatus.PACKED):
        return refuse(Reason.CANCEL_INSTEAD)
    if status is OrderStatus.SHIPPED:
        return refuse(Reason.NOT_DELIVERED)
    if status is OrderStatus.REFUNDED:
        return refuse(Reason.ALREADY_REFUNDED)
    if refundable <= ZERO:
        return refuse(Reason.NOTHING_TO_REFUND)
    amount = refundable if requested is None else Decimal(requested).quantize(Decimal("0.01"))
    if amount <= ZERO:
        return refuse(Reason.INVALID_AMOUNT)
    if amount > refundable:
        return refuse(Reason.AMOUNT_TOO_HIGH)
    if amount > REFUND_REVIEW_THRESHOLD:
        return RefundDecision(
            True, Reason.NEEDS_REVIEW, amount, refundable, RefundStatus.UNDER_REVIEW, True
        )
    return RefundDecision(
        True, Reason.REFUND_ALLOWED, amount, refundable, RefundStatus.REQUESTED, False
    )


def invoice_available(status: OrderStatus) -> bool:
    """Invoices are issued when an order ships."""
    return status in SHIPPED_STATUSES
