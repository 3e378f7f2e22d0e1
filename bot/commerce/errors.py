"""The commerce layer's exceptions: one base class, one subclass per thing a caller handles.

Actions catch these and turn them into polite replies; nothing here carries user-facing prose
beyond a short message for logs, and every exception keeps the facts a reply needs as
attributes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


class CommerceError(Exception):
    """Base class of every error raised by ``bot.commerce``."""


class CommerceUnavailable(CommerceError):
    """The shop database cannot be reached or is broken; the caller should apologise."""


class OrderNotFound(CommerceError):
    """No order has this number."""

    def __init__(self, order_id: str) -> None:
        super().__init__(f"order {order_id!r} not found")
        self.order_id = order_id


class InvalidOrderId(OrderNotFound):
    """The text is not an order number at all (they look like ``A1234``)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.args = (f"{text!r} is not an order number (expected 'A' and 4 digits)",)


class VerificationFailed(CommerceError):
    """The e-mail address given does not belong to the order's (or refund's) customer."""

    def __init__(self, subject: str) -> None:
        super().__init__(f"e-mail address does not match {subject}")
        self.subject = subject


class RefundNotFound(CommerceError):
    """No refund has this reference."""

    def __init__(self, reference: str) -> None:
        super().__init__(f"refund {reference!r} not found")
        self.reference = reference


class InvoiceNotAvailable(CommerceError):
    """The order has no invoice (yet): invoices are issued when an order ships."""

    def __init__(self, order_id: str, status: str) -> None:
        super().__init__(f"order {order_id} has no invoice (status {status})")
        self.order_id = order_id
        self.status = status


class ActionNotAllowed(CommerceError):
    """The shop's rules refuse the request; ``reason`` is a machine-readable code.

    Attributes:
        order_id: The order concerned.
        reason: A :class:`bot.commerce.policy.Reason` value, e.g. ``"window_expired"``.
        details: Facts for phrasing the reply (deadline, status, amounts...).
    """

    def __init__(self, order_id: str, reason: str, **details: Any) -> None:
        super().__init__(f"order {order_id}: {reason}")
        self.order_id = order_id
        self.reason = reason
        self.details = details


class RefundNotAllowed(ActionNotAllowed):
    """A refund cannot be requested for this order now."""


class ReturnNotAllowed(ActionNotAllowed):
    """A return cannot be started for this order (or these items)."""


class CatalogueError(CommerceError, ValueError):
    """The product catalogue file is missing or holds a bad record.

    Attributes:
        path: The catalogue file.
        index: Position of the bad record in the file's list, or ``None`` for file-level errors.
    """

    def __init__(self, path: Path, message: str, index: int | None = None) -> None:
        where = f"{path}" if index is None else f"{path}: record {index}"
        super().__init__(f"{where}: {message}")
        self.path = path
        self.index = index
