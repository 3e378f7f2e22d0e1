"""After-sales operations behind ``OrderService``: refunds, returns and invoices."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from sqlalchemy import select

from bot.commerce.access import (
    Clock,
    OrderStore,
    captured_amount,
    clean_reason,
    email_matches,
    normalise_refund_reference,
    open_refund,
    refunded_amount,
)
from bot.commerce.enums import OrderStatus, ReturnStatus, Zone
from bot.commerce.errors import (
    InvoiceNotAvailable,
    RefundNotAllowed,
    RefundNotFound,
    ReturnNotAllowed,
    VerificationFailed,
)
from bot.commerce.models import Refund, Return
from bot.commerce.policy import (
    ZERO,
    Reason,
    ReturnItem,
    invoice_available,
    refund_decision,
    refundable_amount,
    return_decision,
)
from bot.commerce.views import (
    InvoiceView,
    RefundView,
    ReturnView,
    invoice_view,
    refund_view,
    return_view,
)


class AfterSales:
    """Refund, return and invoice operations over an :class:`OrderStore`.

    Args:
        store: Sessions and verified order loading.
        clock: Returns the current UTC time.
    """

    def __init__(self, store: OrderStore, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    def request_refund(
        self, order_id: str, email: str, reason: str, amount: Decimal | str | None = None
    ) -> RefundView:
        """See :meth:`OrderService.request_refund`."""
        with self._store.session(write=True) as session:
            order = self._store.load_order(session, order_id, email, lock=True)
            existing = open_refund(order)
            if existing is not None:
                return refund_view(existing, created=False)
            status = OrderStatus(order.status)
            return_value = None
            if status is OrderStatus.RETURNED and order.returns:
                return_value = return_view(order.returns[-1]).refund_estimate
            refundable = refundable_amount(
                captured=captured_amount(order),
                already_refunded=refunded_amount(order),
                cancellation_fee=order.cancellation_fee,
                return_value=return_value,
            )
            requested = _money(amount)
            if amount is not None and requested is None:
                requested = ZERO  # not a number: refused as invalid_amount
            decision = refund_decision(status, refundable=refundable, requested=requested)
            if not decision.allowed:
                raise RefundNotAllowed(
                    order.id, decision.reason, status=status, max_amount=decision.max_amount
                )
            reference = self._store.new_reference(session, Refund)
            order.refunds.append(
                Refund(
                    reference=reference,
                    amount=decision.amount,
                    reason=clean_reason(reason),
                    status=decision.status,
                    requested_at=self._clock(),
                )
            )
        return self._read_refund(reference, created=True)

    def start_return(
        self, order_id: str, email: str, skus: Sequence[str] | None = None, reason: str = ""
    ) -> ReturnView:
        """See :meth:`OrderService.start_return`."""
        with self._store.session(write=True) as session:
            order = self._store.load_order(session, order_id, email, lock=True)
            status = OrderStatus(order.status)
            current = [r for r in order.returns if r.status is not ReturnStatus.REFUNDED]
            if status is OrderStatus.RETURNED and current:
                return return_view(current[-1], created=False)
            wanted = None if skus is None else {s.strip().upper() for s in skus}
            lines = [ln for ln in order.lines if wanted is None or ln.sku.upper() in wanted]
            unknown = sorted((wanted or set()) - {ln.sku.upper() for ln in order.lines})
            if unknown or (wanted is not None and not wanted):
                raise ReturnNotAllowed(order.id, Reason.UNKNOWN_ITEMS, unknown=unknown)
            items = [
                ReturnItem(ln.sku, ln.category, ln.final_sale, ln.unit_price * ln.qty)
                for ln in lines
            ]
            delivered_at = order.shipment.delivered_at if order.shipment else None
            now = self._clock()
            decision = return_decision(
                status, delivered_at, items, Zone(order.ship_zone), reason, now
            )
            if not decision.allowed:
                raise ReturnNotAllowed(
                    order.id, decision.reason, status=status,
                    deadline=decision.deadline, excluded=dict(decision.excluded),
                )  # fmt: skip
            reference = self._store.new_reference(session, Return)
            order.returns.append(
                Return(
                    reference=reference,
                    skus=list(decision.eligible_skus),
                    reason=clean_reason(reason),
                    status=ReturnStatus.REQUESTED,
                    created_at=now,
                )
            )
            order.status = OrderStatus.RETURNED
            order.updated_at = now
            oid = order.id
        with self._store.session() as session:
            order = self._store.load_order(session, oid, email)
            ret = next(r for r in order.returns if r.reference == reference)
            return return_view(
                ret, created=True, deadline=decision.deadline, excluded=decision.excluded
            )

    def refund_status(self, reference: str, email: str | None = None) -> RefundView:
        """See :meth:`OrderService.refund_status`."""
        return self._read_refund(reference, email=email, check_email=email is not None)

    def get_invoice(self, order_id: str, email: str) -> InvoiceView:
        """See :meth:`OrderService.get_invoice`."""
        with self._store.session() as session:
            order = self._store.load_order(session, order_id, email)
            status = OrderStatus(order.status)
            if order.invoice is None or not invoice_available(status):
                raise InvoiceNotAvailable(order.id, status)
            return invoice_view(order.invoice)

    def _read_refund(
        self,
        reference: str,
        *,
        email: str | None = None,
        check_email: bool = False,
        created: bool = False,
    ) -> RefundView:
        normalised = normalise_refund_reference(reference)
        if normalised is None:
            raise RefundNotFound(str(reference))
        with self._store.session() as session:
            refund = session.scalar(select(Refund).where(Refund.reference == normalised))
            if refund is None:
                raise RefundNotFound(normalised)
            if check_email and not email_matches(refund.order.customer.email, email):
                raise VerificationFailed(f"refund {normalised}")
            return refund_view(refund, created=created)


def _money(value: Decimal | str | float | None) -> Decimal | None:
    """An amount typed by a shopper (``"12.50"``, ``12.5``) as Decimal; None if not a number."""
    if value is None or isinstance(value, bool):
        return None
    try:
        amount = Decimal(str(value).replace("€", "").replace(",", ".").strip())
        return amount.quantize(Decimal("0.01")) if amount.is_finite() else None
    except InvalidOperation:
        return None
