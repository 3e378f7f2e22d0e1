"""Cancelling orders: fees, refunds, refusals, and what the database holds afterwards."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.commerce import OrderService, OrderStatus, Reason, RefundStatus, VerificationFailed
from bot.commerce.models import Order

pytestmark = pytest.mark.unit

EMMA = "emma.devries@example.com"
LUKAS = "lukas.schneider@example.net"
OLIVER = "oliver.bennett@example.org"
JESSICA = "jessica.miller@example.com"


def snapshot(sessions: sessionmaker[Session], order_id: str) -> tuple[object, ...]:
    """The stored state of an order that a cancellation would touch."""
    with sessions() as session:
        order = session.get(Order, order_id)
        assert order is not None
        refunds = tuple((r.reference, r.status, r.amount) for r in order.refunds)
        return (order.status, order.updated_at, order.cancellation_fee, refunds)


@pytest.mark.parametrize(
    ("order_id", "email", "allowed", "reason", "fee"),
    [
        ("A1001", EMMA, True, Reason.CANCEL_FREE, "0.00"),
        ("A1002", EMMA, True, Reason.CANCEL_FREE, "0.00"),
        ("A1003", LUKAS, True, Reason.CANCEL_WITH_FEE, "4.95"),
        ("A1004", LUKAS, False, Reason.ALREADY_SHIPPED, "0.00"),
        ("A1005", EMMA, False, Reason.ALREADY_DELIVERED, "0.00"),
        ("A1006", OLIVER, False, Reason.ALREADY_CANCELLED, "0.00"),
        ("A1007", OLIVER, False, Reason.ALREADY_RETURNED, "0.00"),
        ("A1008", JESSICA, False, Reason.ALREADY_REFUNDED, "0.00"),
    ],
)
def test_fee_quote_changes_nothing(service, sessions, order_id, email, allowed, reason, fee):
    before = snapshot(sessions, order_id)
    quote = service.cancellation_fee(order_id, email)
    assert (quote.allowed, quote.reason, quote.fee) == (allowed, reason, Decimal(fee))
    assert quote.suggest_return is (reason in (Reason.ALREADY_SHIPPED, Reason.ALREADY_DELIVERED))
    assert snapshot(sessions, order_id) == before


def test_quote_refund_amounts(service: OrderService):
    total = service.get_order("A1003", LUKAS).total
    assert service.cancellation_fee("A1003", LUKAS).refund_amount == total - Decimal("4.95")
    assert (
        service.cancellation_fee("A1002", EMMA).refund_amount
        == service.get_order("A1002", EMMA).total
    )
    assert service.cancellation_fee("A1001", EMMA).refund_amount == Decimal("0")  # not paid yet


def test_cancel_paid_order_is_free_and_refunded(service: OrderService, sessions, clock):
    total = service.get_order("A1002", EMMA).total
    outcome = service.cancel_order("A1002", EMMA)
    assert outcome.cancelled and outcome.reason is Reason.CANCEL_FREE
    assert (outcome.previous_status, outcome.status) == (OrderStatus.PAID, OrderStatus.CANCELLED)
    assert outcome.fee == Decimal("0.00")
    assert outcome.refund is not None and outcome.refund.amount == total
    assert outcome.refund.status is RefundStatus.APPROVED and outcome.refund.created
    status, updated_at, fee, refunds = snapshot(sessions, "A1002")
    assert (status, updated_at, fee) == (OrderStatus.CANCELLED, clock.now, Decimal("0.00"))
    assert refunds == ((outcome.refund.reference, RefundStatus.APPROVED, total),)


def test_cancel_packed_order_charges_the_restocking_fee(service: OrderService, sessions):
    total = service.get_order("A1003", LUKAS).total
    outcome = service.cancel_order("A1003", LUKAS)
    assert outcome.cancelled and outcome.reason is Reason.CANCEL_WITH_FEE
    assert outcome.fee == Decimal("4.95")
    assert outcome.refund is not None and outcome.refund.amount == total - Decimal("4.95")
    status, _, fee, refunds = snapshot(sessions, "A1003")
    assert (status, fee) == (OrderStatus.CANCELLED, Decimal("4.95"))
    assert [amount for _, _, amount in refunds] == [total - Decimal("4.95")]
    assert service.get_order("A1003", LUKAS).cancellation_fee == Decimal("4.95")


def test_cancel_pending_order_needs_no_refund(service: OrderService, sessions):
    outcome = service.cancel_order("#a1001", EMMA)
    assert outcome.cancelled and outcome.refund is None
    status, _, _, refunds = snapshot(sessions, "A1001")
    assert status is OrderStatus.CANCELLED and refunds == ()


@pytest.mark.parametrize(
    ("order_id", "email", "reason", "suggest_return"),
    [
        ("A1004", LUKAS, Reason.ALREADY_SHIPPED, True),
        ("A1005", EMMA, Reason.ALREADY_DELIVERED, True),
        ("A1006", OLIVER, Reason.ALREADY_CANCELLED, False),
        ("A1007", OLIVER, Reason.ALREADY_RETURNED, False),
        ("A1008", JESSICA, Reason.ALREADY_REFUNDED, False),
    ],
)
def test_cancel_refused_leaves_the_order_alone(
    service, sessions, order_id, email, reason, suggest_return
):
    before = snapshot(sessions, order_id)
    outcome = service.cancel_order(order_id, email)
    assert not outcome.cancelled
    assert (outcome.reason, outcome.suggest_return, outcome.refund) == (
        reason, suggest_return, None,
    )  # fmt: skip
    assert outcome.status is outcome.previous_status
    assert snapshot(sessions, order_id) == before


def test_cancelling_twice_is_refused_the_second_time(service: OrderService, sessions):
    assert service.cancel_order("A1002", EMMA).cancelled
    after_first = snapshot(sessions, "A1002")
    second = service.cancel_order("A1002", EMMA)
    assert (second.cancelled, second.reason) == (False, Reason.ALREADY_CANCELLED)
    assert snapshot(sessions, "A1002") == after_first


def test_cancel_with_wrong_email_changes_nothing(service: OrderService, sessions):
    before = snapshot(sessions, "A1002")
    with pytest.raises(VerificationFailed):
        service.cancel_order("A1002", LUKAS)
    assert snapshot(sessions, "A1002") == before
