"""``CommerceBackend``: the order operations the assistant needs, as a swappable Protocol.

:class:`~bot.commerce.service.OrderService` implements it over SQLAlchemy; another backend (a
shop's REST API, a fake for dialogue tests) only has to provide these methods, return the
same views and raise the same :mod:`bot.commerce.errors`.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Protocol, runtime_checkable

from bot.commerce.addresses import AddressInput
from bot.commerce.views import (
    CancellationQuote,
    CancelOutcome,
    ChangeOutcome,
    InvoiceView,
    OrderSummary,
    OrderView,
    RefundView,
    ReturnView,
)


@runtime_checkable
class CommerceBackend(Protocol):
    """Order look-ups and changes, each checked against the shopper's e-mail address."""

    def get_order(self, order_id: str, email: str) -> OrderView:
        """The order; raises ``OrderNotFound`` or ``VerificationFailed``."""
        ...

    def order_exists(self, order_id: str) -> bool:
        """Whether an order has this number (no e-mail needed, nothing else revealed)."""
        ...

    def recent_orders(self, email: str, limit: int = 5) -> list[OrderSummary]:
        """The customer's newest orders, newest first."""
        ...

    def cancellation_fee(self, order_id: str, email: str) -> CancellationQuote:
        """What cancelling would cost, without cancelling."""
        ...

    def cancel_order(self, order_id: str, email: str) -> CancelOutcome:
        """Cancels the order if the rules allow it."""
        ...

    def change_shipping_address(
        self, order_id: str, email: str, address: AddressInput
    ) -> ChangeOutcome:
        """Changes the shipping address if the rules allow it."""
        ...

    def request_refund(
        self, order_id: str, email: str, reason: str, amount: Decimal | str | None = None
    ) -> RefundView:
        """Requests a refund (or returns the open one); raises ``RefundNotAllowed``."""
        ...

    def start_return(
        self, order_id: str, email: str, skus: Sequence[str] | None = None, reason: str = ""
    ) -> ReturnView:
        """Starts a return; raises ``ReturnNotAllowed``."""
        ...

    def refunds_for_order(self, order_id: str, email: str) -> list[RefundView]:
        """The order's refunds, oldest first."""
        ...

    def refund_status(self, reference: str, email: str | None = None) -> RefundView:
        """A refund by reference; raises ``RefundNotFound``."""
        ...

    def get_invoice(self, order_id: str, email: str) -> InvoiceView:
        """The invoice; raises ``InvoiceNotAvailable`` before the order ships."""
        ...
