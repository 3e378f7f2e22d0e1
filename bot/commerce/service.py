"""``OrderService``: what the assistant may do with a shopper's orders, over SQLAlchemy.

Every method first checks that the e-mail address belongs to the order's customer, returns
frozen views (never ORM objects), writes in one transaction and re-reads what it wrote.
Refusals by the shop's rules come back as outcomes with a reason code (cancel, address) or
as :class:`~bot.commerce.errors.ActionNotAllowed` subclasses (refund, return).
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.engine import URL, Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.commerce.access import (
    Clock,
    OrderStore,
    captured_amount,
    normalise_order_id,
    refunded_amount,
    utc_now,
)
from bot.commerce.addresses import AddressInput, validate_address
from bot.commerce.aftersales import AfterSales
from bot.commerce.db import get_sessionmaker
from bot.commerce.enums import OrderStatus, RefundStatus, Zone
from bot.commerce.models import Customer, Order, Refund
from bot.commerce.policy import (
    ZERO,
    Reason,
    address_change_decision,
    cancel_decision,
    refundable_amount,
)
from bot.commerce.views import (
    CancellationQuote,
    CancelOutcome,
    ChangeOutcome,
    InvoiceView,
    OrderSummary,
    OrderView,
    RefundView,
    ReturnView,
    address_view,
    order_summary,
    order_view,
    refund_view,
)

__all__ = ["OrderService", "normalise_order_id"]


class OrderService:
    """The shop's order operations (implements :class:`~bot.commerce.backend.CommerceBackend`).

    Args:
        sessions: Session factory of the shop database.
        clock: Returns the current UTC time; tests pass a fixed one.
        rng: Random source for new refund/return references.
    """

    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        clock: Clock = utc_now,
        rng: random.Random | None = None,
    ) -> None:
        self._store = OrderStore(sessions, rng)
        self._clock = clock
        self._after = AfterSales(self._store, clock)

    @classmethod
    def from_url(
        cls,
        url: str | URL | Engine | None = None,
        *,
        clock: Clock = utc_now,
        rng: random.Random | None = None,
    ) -> OrderService:
        """A service over the database at ``url`` (default ``settings.database_url``)."""
        return cls(get_sessionmaker(url), clock=clock, rng=rng)

    def get_order(self, order_id: str, email: str) -> OrderView:
        """The order with lines, totals, address, shipment and tracking (newest event first)."""
        with self._store.session() as session:
            return order_view(self._store.load_order(session, order_id, email))

    def order_exists(self, order_id: str) -> bool:
        """Whether an order has this number (malformed numbers: False); needs no e-mail."""
        normalised = normalise_order_id(order_id)
        if normalised is None:
            return False
        with self._store.session() as session:
            return session.scalar(select(Order.id).where(Order.id == normalised)) is not None

    def recent_orders(self, email: str, limit: int = 5) -> list[OrderSummary]:
        """The customer's newest orders first; empty when the e-mail address is unknown."""
        if limit < 1:
            raise ValueError(f"limit must be greater than 0. Currently, limit is {limit}")
        if not isinstance(email, str) or not email.strip():
            return []
        query = (
            select(Order)
            .join(Order.customer)
            .where(func.lower(Customer.email) == email.strip().lower())
            .order_by(Order.placed_at.desc(), Order.id.desc())
            .limit(limit)
        )
        with self._store.session() as session:
            return [order_summary(order) for order in session.scalars(query)]

    def refunds_for_order(self, order_id: str, email: str) -> list[RefundView]:
        """The order's refunds, oldest first (empty when it has none)."""
        with self._store.session() as session:
            order = self._store.load_order(session, order_id, email)
            return [refund_view(refund) for refund in order.refunds]

    def cancellation_fee(self, order_id: str, email: str) -> CancellationQuote:
        """What cancelling would cost and refund, without changing anything."""
        with self._store.session() as session:
            order = self._store.load_order(session, order_id, email)
            decision = cancel_decision(OrderStatus(order.status))
            refund = ZERO
            if decision.allowed:
                refund = refundable_amount(
                    captured=captured_amount(order),
                    already_refunded=refunded_amount(order),
                    cancellation_fee=decision.fee,
                )
            return CancellationQuote(
                order.id, decision.allowed, decision.reason, decision.status,
                decision.fee, refund, decision.suggest_return,
            )  # fmt: skip

    def cancel_order(self, order_id: str, email: str) -> CancelOutcome:
        """Cancels when the rules allow; paid orders get a refund of the amount minus the fee."""
        with self._store.session(write=True) as session:
            order = self._store.load_order(session, order_id, email, lock=True)
            previous = OrderStatus(order.status)
            decision = cancel_decision(previous)
            if not decision.allowed:
                return CancelOutcome(
                    order.id, False, decision.reason, previous, previous,
                    ZERO, None, decision.suggest_return,
                )  # fmt: skip
            now = self._clock()
            amount = refundable_amount(
                captured=captured_amount(order),
                already_refunded=refunded_amount(order),
                cancellation_fee=decision.fee,
            )
            order.status = OrderStatus.CANCELLED
            order.cancellation_fee = decision.fee
            order.updated_at = now
            reference = None
            if amount > ZERO:
                reference = self._store.new_reference(session, Refund)
                order.refunds.append(
                    Refund(
                        reference=reference,
                        amount=amount,
                        reason="order cancelled",
                        status=RefundStatus.APPROVED,
                        requested_at=now,
                    )
                )
            oid = order.id
        with self._store.session() as session:
            order = self._store.load_order(session, oid, email)
            refund = next((r for r in order.refunds if r.reference == reference), None)
            return CancelOutcome(
                oid, True, decision.reason, previous, OrderStatus(order.status),
                order.cancellation_fee, refund_view(refund, created=True) if refund else None,
                False,
            )  # fmt: skip

    def change_shipping_address(
        self, order_id: str, email: str, address: AddressInput
    ) -> ChangeOutcome:
        """Changes the address of a pending or paid order, within its shipping zone."""
        check = validate_address(address)
        with self._store.session(write=True) as session:
            order = self._store.load_order(session, order_id, email, lock=True)
            status = OrderStatus(order.status)
            decision = address_change_decision(status)
            new = check.address
            if decision.allowed and new is None:
                return ChangeOutcome(order.id, False, _address_reason(check.errors), status,
                                     address_view(order), check.errors)  # fmt: skip
            if decision.allowed and new is not None:
                decision = address_change_decision(status, Zone(order.ship_zone), new.zone)
            if not decision.allowed or new is None:
                return ChangeOutcome(order.id, False, decision.reason, status, address_view(order))
            order.ship_line1, order.ship_line2 = new.line1, new.line2
            order.ship_postcode, order.ship_city = new.postcode, new.city
            order.ship_country, order.ship_zone = new.country_code, new.zone
            order.ship_name = new.name or order.ship_name
            order.updated_at = self._clock()
            oid = order.id
        with self._store.session() as session:
            order = self._store.load_order(session, oid, email)
            return ChangeOutcome(oid, True, decision.reason, OrderStatus(order.status),
                                 address_view(order))  # fmt: skip

    def request_refund(
        self, order_id: str, email: str, reason: str, amount: Decimal | str | None = None
    ) -> RefundView:
        """Requests a refund; an open refund of the order is returned instead of a second one.

        Without ``amount`` everything still refundable is requested; above €250 the refund is
        ``under_review`` with ``needs_agent=True``.

        Raises:
            RefundNotAllowed: With reason ``cancel_instead``, ``not_delivered``,
                ``already_refunded``, ``nothing_to_refund``, ``invalid_amount`` or
                ``amount_too_high`` (``details["max_amount"]``).
        """
        return self._after.request_refund(order_id, email, reason, amount)

    def start_return(
        self, order_id: str, email: str, skus: Sequence[str] | None = None, reason: str = ""
    ) -> ReturnView:
        """Starts a return of a delivered order (all returnable items when ``skus`` is None).

        A second call for an order being returned gives back the existing return.

        Raises:
            ReturnNotAllowed: With reason ``unknown_items`` (``details["unknown"]``),
                ``not_delivered``, ``window_expired``, ``final_sale`` or ``already_*``.
        """
        return self._after.start_return(order_id, email, skus, reason)

    def refund_status(self, reference: str, email: str | None = None) -> RefundView:
        """Looks a refund up by reference; with ``email``, checks it is the customer's.

        Raises:
            RefundNotFound: Unknown or malformed reference.
            VerificationFailed: ``email`` given and not the customer's.
        """
        return self._after.refund_status(reference, email)

    def get_invoice(self, order_id: str, email: str) -> InvoiceView:
        """The VAT invoice of a shipped order.

        Raises:
            InvoiceNotAvailable: The order has not shipped (invoices come with shipping).
        """
        return self._after.get_invoice(order_id, email)


def _address_reason(errors: Mapping[str, str]) -> Reason:
    """``unsupported_country`` when that is the only problem, else ``invalid_address``."""
    if dict(errors) == {"country_code": "unsupported_country"}:
        return Reason.UNSUPPORTED_COUNTRY
    return Reason.INVALID_ADDRESS
