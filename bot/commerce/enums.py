"""Status and kind values of the shop's records, as string enums.

They are stored as plain strings (``VARCHAR`` with a ``CHECK`` constraint), so the schema is
the same on SQLite and PostgreSQL, and they compare equal to their string values.
"""

from __future__ import annotations

from enum import StrEnum


class OrderStatus(StrEnum):
    """Where an order is: pending → paid → packed → shipped → delivered, or a side exit."""

    PENDING = "pending"
    PAID = "paid"
    PACKED = "packed"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    RETURNED = "returned"
    REFUNDED = "refunded"


class Zone(StrEnum):
    """Shipping zones (see ``docs/shop-facts.md``)."""

    NL = "NL"
    EU1 = "EU1"
    EU2 = "EU2"
    UK = "UK"
    NA = "NA"


class ShippingMethod(StrEnum):
    """Delivery speed chosen at checkout."""

    STANDARD = "standard"
    EXPRESS = "express"


class PaymentMethod(StrEnum):
    """Ways to pay that the shop accepts."""

    IDEAL = "ideal"
    VISA = "visa"
    MASTERCARD = "mastercard"
    AMEX = "amex"
    PAYPAL = "paypal"
    KLARNA = "klarna"
    APPLE_PAY = "apple_pay"
    GIFT_CARD = "gift_card"


class PaymentStatus(StrEnum):
    """State of one payment transaction."""

    AUTHORISED = "authorised"
    CAPTURED = "captured"
    FAILED = "failed"
    REFUNDED = "refunded"


class RefundStatus(StrEnum):
    """State of a refund; ``under_review`` waits for a human agent."""

    REQUESTED = "requested"
    APPROVED = "approved"
    PROCESSED = "processed"
    REJECTED = "rejected"
    UNDER_REVIEW = "under_review"

    @property
    def is_open(self) -> bool:
        """Whether the refund is still in progress (not processed nor rejected)."""
        return self in (RefundStatus.REQUESTED, RefundStatus.APPROVED, RefundStatus.UNDER_REVIEW)


class ReturnStatus(StrEnum):
    """State of a return shipment."""

    REQUESTED = "requested"
    LABEL_SENT = "label_sent"
    RECEIVED = "received"
    REFUNDED = "refunded"
