"""Database access shared by the service's methods: guarded sessions, verified order loading,
input normalisation and new references.

Every database failure (``SQLAlchemyError``) leaves here as
:class:`~bot.commerce.errors.CommerceUnavailable`.
"""

from __future__ import annotations

import logging
import random
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bot.commerce.enums import PaymentStatus, RefundStatus
from bot.commerce.errors import (
    CommerceUnavailable,
    InvalidOrderId,
    OrderNotFound,
    VerificationFailed,
)
from bot.commerce.models import Order, Refund, Return
from bot.commerce.policy import ZERO

logger = logging.getLogger(__name__)

_ORDER_ID = re.compile(r"#?\s*A\s*-?\s*(\d{4})", re.IGNORECASE)
_REFUND_REF = re.compile(r"#?\s*RF\s*[-\s]?\s*(\d{5})", re.IGNORECASE)
_MAX_REASON = 300

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The current time in UTC (the service's default clock)."""
    return datetime.now(UTC)


def normalise_order_id(text: str | None) -> str | None:
    """``"a1234"``, ``"A-1234"``, ``"#A1234"``, ``" A1234 "`` → ``"A1234"``; else ``None``."""
    if not isinstance(text, str):
        return None
    match = _ORDER_ID.fullmatch(text.strip())
    return f"A{match.group(1)}" if match else None


def normalise_refund_reference(text: str | None) -> str | None:
    """``"rf12345"``, ``"RF 12345"``, ``"RF-12345"`` → ``"RF-12345"``; else ``None``."""
    if not isinstance(text, str):
        return None
    match = _REFUND_REF.fullmatch(text.strip())
    return f"RF-{match.group(1)}" if match else None


def email_matches(stored: str, given: str | None) -> bool:
    """Compares e-mail addresses trimmed and case-insensitively; empty never matches."""
    if not isinstance(given, str) or not given.strip():
        return False
    return stored.strip().casefold() == given.strip().casefold()


def clean_reason(text: str | None) -> str:
    """A reason as stored: trimmed, one line, at most 300 characters."""
    cleaned = " ".join((text or "").split())
    return cleaned[:_MAX_REASON] or "no reason given"


class OrderStore:
    """Sessions and lookups over one sessionmaker."""

    def __init__(self, sessions: sessionmaker[Session], rng: random.Random | None = None) -> None:
        self._sessions = sessions
        self._rng = rng or random.SystemRandom()

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """A session; with ``write`` one transaction committed on success.

        Raises:
            CommerceUnavailable: On any database error (the cause is chained and logged).
        """
        try:
            with self._sessions() as session:
                if write:
                    with session.begin():
                        yield session
                else:
                    yield session
        except SQLAlchemyError as exc:
            logger.warning("shop database error: %s", exc, exc_info=True)
            raise CommerceUnavailable("the shop database is unavailable") from exc

    @staticmethod
    def load_order(
        session: Session, order_id: str, email: str | None, *, lock: bool = False
    ) -> Order:
        """Loads an order and checks that ``email`` is its customer's.

        Args:
            session: Open session.
            order_id: Order number as typed (normalised here).
            email: The shopper's e-mail address.
            lock: Lock the row for update (PostgreSQL) during a write.

        Raises:
            InvalidOrderId: ``order_id`` is not shaped like an order number.
            OrderNotFound: No such order.
            VerificationFailed: The e-mail address does not match.
        """
        normalised = normalise_order_id(order_id)
        if normalised is None:
            raise InvalidOrderId(str(order_id))
        order = session.get(Order, normalised, with_for_update=lock)
        if order is None:
            raise OrderNotFound(normalised)
        if not email_matches(order.customer.email, email):
            raise VerificationFailed(f"order {normalised}")
        return order

    def new_reference(self, session: Session, model: type[Refund] | type[Return]) -> str:
        """A free ``RF-nnnnn`` (refunds) or ``RT-nnnnn`` (returns) reference."""
        prefix = "RF" if model is Refund else "RT"
        while True:
            reference = f"{prefix}-{self._rng.randint(10000, 99999)}"
            taken = session.scalar(select(model.id).where(model.reference == reference))
            if taken is None:
                return reference


def captured_amount(order: Order) -> Decimal:
    """Money taken for an order (captured payments, including ones refunded since)."""
    taken = (PaymentStatus.CAPTURED, PaymentStatus.REFUNDED)
    return sum((p.amount for p in order.payments if p.status in taken), ZERO)


def refunded_amount(order: Order) -> Decimal:
    """Refunds processed or still in progress (rejected ones do not count)."""
    return sum((r.amount for r in order.refunds if r.status is not RefundStatus.REJECTED), ZERO)


def open_refund(order: Order) -> Refund | None:
    """The newest refund of the order that is still in progress, if any."""
    pending = [r for r in order.refunds if RefundStatus(r.status).is_open]
    return pending[-1] if pending else None
