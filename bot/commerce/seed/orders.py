"""Builds one demo order with everything that goes with its status.

Lines, totals and shipping from the shop's prices; payments matching the status; a parcel
with scans once shipped; cancellation refunds; returns and refunds; invoices for what
shipped. Times come from :mod:`bot.commerce.seed.timeline`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy.orm import Session

from bot.commerce.catalogue import CatalogueProduct
from bot.commerce.enums import (
    OrderStatus,
    PaymentMethod,
    PaymentStatus,
    RefundStatus,
    ReturnStatus,
    ShippingMethod,
)
from bot.commerce.models import (
    Address,
    Customer,
    Invoice,
    Order,
    OrderLine,
    Payment,
    Refund,
    Return,
    Shipment,
    TrackingEvent,
)
from bot.commerce.policy import (
    PACKED_CANCELLATION_FEE,
    REFUND_REVIEW_THRESHOLD,
    ZERO,
    return_terms,
)
from bot.commerce.seed.shipping import tracking_events, tracking_number
from bot.commerce.seed.timeline import Timeline
from bot.commerce.zones import ZONES, add_business_days, delivery_window, shipping_cost

VAT_RATE = Decimal("0.21")
RETURN_REASONS = (
    "Too small", "Too big", "Changed my mind", "Not as described", "Arrived damaged",
    "Colour differs from the photos", "Wrong item sent", "Quality not as expected",
)  # fmt: skip


@dataclass(frozen=True)
class OrderSpec:
    """What to build: who, what, where, how far it got, and when it got there."""

    customer: Customer
    address: Address
    status: OrderStatus
    items: tuple[tuple[CatalogueProduct, int], ...]
    method: ShippingMethod
    payment_method: PaymentMethod
    timeline: Timeline
    cancelled_from: OrderStatus | None = None
    return_status: ReturnStatus | None = None
    return_reason: str | None = None
    payment_failed: bool = False


class OrderFactory:
    """Creates orders with their payments, parcels, refunds, returns and invoices.

    Args:
        session: Where the rows go.
        now: The seed's "now"; nothing is dated after it.
    """

    def __init__(self, session: Session, now: datetime) -> None:
        self._session = session
        self._now = now
        self._references: set[str] = set()
        self._tracking: set[str] = set()
        self._shipped: list[tuple[datetime, str, Order]] = []

    def create(self, rng: random.Random, order_id: str, spec: OrderSpec) -> Order:
        """Adds order ``order_id`` built from ``spec`` to the session and returns it."""
        tl, zone = spec.timeline, spec.address.zone
        subtotal = sum((p.price * qty for p, qty in spec.items), ZERO)
        cost = shipping_cost(zone, spec.method, subtotal)
        addr = spec.address
        order = Order(
            id=order_id, customer=spec.customer, status=spec.status,
            placed_at=tl.placed_at, updated_at=tl.updated_at, ship_name=addr.name,
            ship_line1=addr.line1, ship_line2=addr.line2, ship_postcode=addr.postcode,
            ship_city=addr.city, ship_country=addr.country_code, ship_zone=zone,
            shipping_method=spec.method, shipping_cost=cost, subtotal=subtotal,
            total=subtotal + cost, currency="EUR", payment_method=spec.payment_method,
            cancellation_fee=ZERO,
        )  # fmt: skip
        for product, qty in spec.items:
            order.lines.append(
                OrderLine(
                    sku=product.sku,
                    name=product.name,
                    category=product.category,
                    final_sale=product.final_sale,
                    qty=qty,
                    unit_price=product.price,
                )  # fmt: skip
            )
        payment = self._payment(spec, order)
        if tl.shipped_at is not None:
            self._ship(rng, order, tl)
        if spec.status is OrderStatus.CANCELLED and payment.status is not PaymentStatus.FAILED:
            self._cancellation_refund(rng, order, spec, payment)
        if spec.status in (OrderStatus.RETURNED, OrderStatus.REFUNDED):
            self._return(rng, order, spec, payment)
        self._session.add(order)
        return order

    def issue_invoices(self) -> int:
        """Numbers the invoices of shipped orders by shipping time: ``INV-2026-00001``..."""
        counters: dict[int, int] = {}
        ordered = sorted(self._shipped, key=lambda item: item[:2])
        for issued, _, order in ordered:
            counters[issued.year] = counters.get(issued.year, 0) + 1
            vat = (order.total * VAT_RATE / (1 + VAT_RATE)).quantize(ZERO, ROUND_HALF_UP)
            order.invoice = Invoice(
                number=f"INV-{issued.year}-{counters[issued.year]:05d}",
                issued_at=issued, amount=order.total, vat_amount=vat,
            )  # fmt: skip
        return len(ordered)

    def _payment(self, spec: OrderSpec, order: Order) -> Payment:
        tl = spec.timeline
        if spec.status is OrderStatus.PENDING:
            status = PaymentStatus.FAILED if spec.payment_failed else PaymentStatus.AUTHORISED
        elif tl.paid_at is None:  # cancelled before the payment arrived
            status = PaymentStatus.FAILED
        else:
            status = PaymentStatus.CAPTURED
        payment = Payment(
            method=spec.payment_method, amount=order.total, status=status,
            at=tl.paid_at or tl.placed_at,
        )  # fmt: skip
        order.payments.append(payment)
        return payment

    def _ship(self, rng: random.Random, order: Order, tl: Timeline) -> None:
        assert tl.shipped_at is not None
        zone = order.ship_zone
        carrier = ZONES[zone].carrier
        number = tracking_number(rng, carrier)
        while number in self._tracking:
            number = tracking_number(rng, carrier)
        self._tracking.add(number)
        window = delivery_window(zone, order.shipping_method)
        shipment = Shipment(
            carrier=carrier, tracking_number=number, shipped_at=tl.shipped_at,
            estimated_delivery=add_business_days(tl.shipped_at.date(), window[1]),
            delivered_at=tl.delivered_at,
        )  # fmt: skip
        scans = tracking_events(
            rng, carrier=carrier, zone=zone, city=order.ship_city, country=order.ship_country,
            shipped_at=tl.shipped_at, delivered_at=tl.delivered_at, now=self._now,
        )  # fmt: skip
        shipment.events = [TrackingEvent(at=a, location=loc, description=d) for a, loc, d in scans]
        order.shipment = shipment
        self._shipped.append((tl.shipped_at, order.id, order))

    def _reference(self, rng: random.Random, prefix: str) -> str:
        while True:
            reference = f"{prefix}-{rng.randint(10000, 99999)}"
            if reference not in self._references:
                self._references.add(reference)
                return reference

    def _cancellation_refund(
        self, rng: random.Random, order: Order, spec: OrderSpec, payment: Payment
    ) -> None:
        if spec.cancelled_from is OrderStatus.PACKED:
            order.cancellation_fee = PACKED_CANCELLATION_FEE
        cancelled = spec.timeline.updated_at
        processed_day = add_business_days(cancelled.date(), rng.randint(1, 3))
        processed = datetime.combine(processed_day, time(10, rng.randint(0, 59)), UTC)
        done = processed <= self._now
        order.refunds.append(
            Refund(
                reference=self._reference(rng, "RF"),
                amount=order.total - order.cancellation_fee,
                reason="order cancelled",
                requested_at=cancelled,
                status=RefundStatus.PROCESSED if done else RefundStatus.APPROVED,
                processed_at=processed if done else None,
            )  # fmt: skip
        )
        if done:
            payment.status = PaymentStatus.REFUNDED

    def _return(self, rng: random.Random, order: Order, spec: OrderSpec, payment: Payment) -> None:
        tl = spec.timeline
        assert tl.returned_at is not None
        lines = [line for line in order.lines if not line.final_sale]
        if len(lines) > 1 and rng.random() < 0.4:
            lines = rng.sample(lines, rng.randint(1, len(lines) - 1))
        reason = spec.return_reason or rng.choice(RETURN_REASONS)
        value = sum((line.unit_price * line.qty for line in lines), ZERO)
        if return_terms(order.ship_zone, reason, value).refund_estimate <= ZERO:
            reason = "Arrived damaged"  # a cheap item is only worth sending back when faulty
        refunded = spec.status is OrderStatus.REFUNDED
        status = ReturnStatus.REFUNDED if refunded else spec.return_status
        ret = Return(
            reference=self._reference(rng, "RT"), skus=[line.sku for line in lines],
            reason=reason, status=status or ReturnStatus.REQUESTED, created_at=tl.returned_at,
        )  # fmt: skip
        order.returns.append(ret)
        if not refunded and status is not ReturnStatus.RECEIVED:
            return
        amount = return_terms(order.ship_zone, reason, value).refund_estimate
        if refunded:
            refund_status = RefundStatus.PROCESSED
        elif amount > REFUND_REVIEW_THRESHOLD:
            refund_status = RefundStatus.UNDER_REVIEW
        else:
            refund_status = RefundStatus.APPROVED
        received = tl.updated_at if not refunded else tl.updated_at - timedelta(days=3)
        order.refunds.append(
            Refund(
                reference=self._reference(rng, "RF"),
                amount=amount,
                reason=f"return {ret.reference}: {reason}",
                status=refund_status,
                requested_at=received,
                processed_at=tl.updated_at if refunded else None,
            )  # fmt: skip
        )
        if refunded:
            payment.status = PaymentStatus.REFUNDED
