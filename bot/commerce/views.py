"""Read-only views the commerce service returns: frozen dataclasses, never ORM objects.

The ``*_view`` builders must be called inside the session that loaded the ORM object.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from types import MappingProxyType

from bot.commerce.enums import (
    OrderStatus,
    PaymentMethod,
    RefundStatus,
    ReturnStatus,
    ShippingMethod,
    Zone,
)
from bot.commerce.models import Invoice, Order, Refund, Return
from bot.commerce.policy import ZERO, Reason, return_terms


@dataclass(frozen=True)
class OrderLineView:
    """One product on an order."""

    sku: str
    name: str
    qty: int
    unit_price: Decimal
    line_total: Decimal
    category: str
    final_sale: bool


@dataclass(frozen=True)
class AddressView:
    """The shipping address of an order."""

    name: str
    line1: str
    line2: str | None
    postcode: str
    city: str
    country_code: str
    zone: Zone


@dataclass(frozen=True)
class TrackingEventView:
    """One carrier scan."""

    at: datetime
    location: str
    description: str


@dataclass(frozen=True)
class OrderView:
    """Everything about an order a shopper may ask; ``tracking_events`` newest first."""

    order_id: str
    status: OrderStatus
    placed_at: datetime
    updated_at: datetime
    customer_first_name: str
    lines: tuple[OrderLineView, ...]
    subtotal: Decimal
    shipping_cost: Decimal
    total: Decimal
    currency: str
    shipping_method: ShippingMethod
    payment_method: PaymentMethod
    shipping_address: AddressView
    carrier: str | None
    tracking_number: str | None
    shipped_at: datetime | None
    estimated_delivery: date | None
    delivered_at: datetime | None
    tracking_events: tuple[TrackingEventView, ...]
    cancellation_fee: Decimal

    @property
    def item_count(self) -> int:
        """Number of items (sum of quantities)."""
        return sum(line.qty for line in self.lines)


@dataclass(frozen=True)
class OrderSummary:
    """A line in a list of a customer's orders."""

    order_id: str
    status: OrderStatus
    placed_at: datetime
    total: Decimal
    currency: str
    item_count: int


@dataclass(frozen=True)
class CancellationQuote:
    """What cancelling would cost, without cancelling."""

    order_id: str
    allowed: bool
    reason: Reason
    status: OrderStatus
    fee: Decimal
    refund_amount: Decimal
    suggest_return: bool


@dataclass(frozen=True)
class RefundView:
    """A refund; ``created`` is False when an existing open refund was returned."""

    reference: str
    order_id: str
    amount: Decimal
    currency: str
    reason: str
    status: RefundStatus
    requested_at: datetime
    processed_at: datetime | None
    needs_agent: bool
    created: bool = False


@dataclass(frozen=True)
class CancelOutcome:
    """Result of a cancellation attempt; ``refund`` is set when money goes back."""

    order_id: str
    cancelled: bool
    reason: Reason
    previous_status: OrderStatus
    status: OrderStatus
    fee: Decimal
    refund: RefundView | None
    suggest_return: bool


@dataclass(frozen=True)
class ChangeOutcome:
    """Result of an address change; ``address`` is the order's address after the attempt."""

    order_id: str
    changed: bool
    reason: Reason
    status: OrderStatus
    address: AddressView
    errors: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class ReturnView:
    """A return; ``deadline`` and ``excluded`` are filled when it was just created."""

    reference: str
    order_id: str
    skus: tuple[str, ...]
    reason: str
    status: ReturnStatus
    created_at: datetime
    return_shipping_fee: Decimal
    refund_estimate: Decimal
    prepaid_label: bool
    created: bool = False
    deadline: date | None = None
    excluded: Mapping[str, Reason] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class InvoiceView:
    """A VAT invoice (prices include 21% Dutch VAT)."""

    number: str
    order_id: str
    issued_at: datetime
    amount: Decimal
    vat_amount: Decimal
    net_amount: Decimal
    currency: str


def order_view(order: Order) -> OrderView:
    """Builds the view of an order (shipment, events and lines loaded in the session)."""
    shipment = order.shipment
    events = sorted(shipment.events, key=lambda e: e.at, reverse=True) if shipment else []
    return OrderView(
        order_id=order.id,
        status=OrderStatus(order.status),
        placed_at=order.placed_at,
        updated_at=order.updated_at,
        customer_first_name=order.customer.first_name,
        lines=tuple(
            OrderLineView(
                line.sku,
                line.name,
                line.qty,
                line.unit_price,
                line.unit_price * line.qty,
                line.category,
                line.final_sale,
            )
            for line in order.lines
        ),  # fmt: skip
        subtotal=order.subtotal,
        shipping_cost=order.shipping_cost,
        total=order.total,
        currency=order.currency,
        shipping_method=ShippingMethod(order.shipping_method),
        payment_method=PaymentMethod(order.payment_method),
        shipping_address=address_view(order),
        carrier=shipment.carrier if shipment else None,
        tracking_number=shipment.tracking_number if shipment else None,
        shipped_at=shipment.shipped_at if shipment else None,
        estimated_delivery=shipment.estimated_delivery if shipment else None,
        delivered_at=shipment.delivered_at if shipment else None,
        tracking_events=tuple(TrackingEventView(e.at, e.location, e.description) for e in events),
        cancellation_fee=order.cancellation_fee,
    )


def address_view(order: Order) -> AddressView:
    """The shipping address copied onto an order."""
    return AddressView(
        name=order.ship_name,
        line1=order.ship_line1,
        line2=order.ship_line2,
        postcode=order.ship_postcode,
        city=order.ship_city,
        country_code=order.ship_country,
        zone=Zone(order.ship_zone),
    )


def order_summary(order: Order) -> OrderSummary:
    """A short view of an order for lists."""
    return OrderSummary(
        order_id=order.id,
        status=OrderStatus(order.status),
        placed_at=order.placed_at,
        total=order.total,
        currency=order.currency,
        item_count=sum(line.qty for line in order.lines),
    )


def refund_view(refund: Refund, *, created: bool = False) -> RefundView:
    """The view of a refund; ``needs_agent`` while a human agent has to review it."""
    status = RefundStatus(refund.status)
    return RefundView(
        reference=refund.reference,
        order_id=refund.order_id,
        amount=refund.amount,
        currency=refund.order.currency,
        reason=refund.reason,
        status=status,
        requested_at=refund.requested_at,
        processed_at=refund.processed_at,
        needs_agent=status is RefundStatus.UNDER_REVIEW,
        created=created,
    )


def return_view(
    ret: Return,
    *,
    created: bool = False,
    deadline: date | None = None,
    excluded: Mapping[str, Reason] | None = None,
) -> ReturnView:
    """The view of a return, with its shipping fee and refund estimate from the order."""
    order = ret.order
    skus = set(ret.skus)
    value = sum((line.unit_price * line.qty for line in order.lines if line.sku in skus), ZERO)
    terms = return_terms(Zone(order.ship_zone), ret.reason, value)
    return ReturnView(
        reference=ret.reference,
        order_id=order.id,
        skus=tuple(ret.skus),
        reason=ret.reason,
        status=ReturnStatus(ret.status),
        created_at=ret.created_at,
        return_shipping_fee=terms.return_shipping_fee,
        refund_estimate=terms.refund_estimate,
        prepaid_label=terms.prepaid_label,
        created=created,
        deadline=deadline,
        excluded=MappingProxyType(dict(excluded or {})),
    )


def invoice_view(invoice: Invoice) -> InvoiceView:
    """The view of an invoice."""
    return InvoiceView(
        number=invoice.number,
        order_id=invoice.order_id,
        issued_at=invoice.issued_at,
        amount=invoice.amount,
        vat_amount=invoice.vat_amount,
        net_amount=invoice.amount - invoice.vat_amount,
        currency=invoice.order.currency,
    )
