"""Refund requests and look-ups: amounts, duplicates, the €250 review, refusals."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.commerce import (
    OrderService,
    Reason,
    RefundNotAllowed,
    RefundNotFound,
    RefundStatus,
    VerificationFailed,
)
from bot.commerce.models import Refund

pytestmark = pytest.mark.unit

EMMA = "emma.devries@example.com"
LUKAS = "lukas.schneider@example.net"
OLIVER = "oliver.bennett@example.org"
JESSICA = "jessica.miller@example.com"
GIULIA = "giulia.rossi@example.net"


def refunds_of(sessions: sessionmaker[Session], order_id: str) -> list[tuple[object, ...]]:
    with sessions() as session:
        rows = session.scalars(select(Refund).where(Refund.order_id == order_id))
        return [(r.reference, r.amount, r.status, r.reason) for r in rows]


def test_refund_for_a_delivered_order(service: OrderService, sessions, clock):
    total = service.get_order("A1005", EMMA).total
    refund = service.request_refund("A1005", EMMA, "  The mug arrived chipped  ")
    assert re.fullmatch(r"RF-\d{5}", refund.reference)
    assert (refund.order_id, refund.amount) == ("A1005", total)
    assert refund.status is RefundStatus.REQUESTED
    assert refund.created and not refund.needs_agent and refund.currency == "EUR"
    assert refund.requested_at == clock.now
    assert refunds_of(sessions, "A1005") == [
        (refund.reference, total, RefundStatus.REQUESTED, "The mug arrived chipped")
    ]


def test_second_request_returns_the_open_refund(service: OrderService, sessions):
    first = service.request_refund("A1005", EMMA, "damaged")
    second = service.request_refund("A1005", EMMA, "still damaged", amount="10")
    assert second.reference == first.reference and not second.created
    assert len(refunds_of(sessions, "A1005")) == 1


def test_refund_above_250_goes_to_a_human(service: OrderService, sessions):
    total = service.get_order("A1010", GIULIA).total
    assert total > Decimal("250")
    refund = service.request_refund("A1010", GIULIA, "tent poles broken")
    assert (refund.status, refund.needs_agent, refund.amount) == (
        RefundStatus.UNDER_REVIEW, True, total,
    )  # fmt: skip
    assert refunds_of(sessions, "A1010")[0][2] is RefundStatus.UNDER_REVIEW
    assert service.refund_status(refund.reference).needs_agent


def test_partial_amount_below_the_threshold(service: OrderService):
    refund = service.request_refund("A1010", GIULIA, "one part missing", amount="€ 25,50")
    assert (refund.amount, refund.status, refund.needs_agent) == (
        Decimal("25.50"), RefundStatus.REQUESTED, False,
    )  # fmt: skip


@pytest.mark.parametrize("amount", ["abc", "-5", "0", Decimal("100000")])
def test_bad_amounts_are_refused(service: OrderService, sessions, amount):
    with pytest.raises(RefundNotAllowed) as refused:
        service.request_refund("A1005", EMMA, "damaged", amount=amount)
    expected = Reason.AMOUNT_TOO_HIGH if amount == Decimal("100000") else Reason.INVALID_AMOUNT
    assert refused.value.reason is expected
    assert refused.value.details["max_amount"] == service.get_order("A1005", EMMA).total
    assert refunds_of(sessions, "A1005") == []


@pytest.mark.parametrize(
    ("order_id", "email", "reason"),
    [
        ("A1001", EMMA, Reason.CANCEL_INSTEAD),
        ("A1002", EMMA, Reason.CANCEL_INSTEAD),
        ("A1003", LUKAS, Reason.CANCEL_INSTEAD),
        ("A1004", LUKAS, Reason.NOT_DELIVERED),
        ("A1008", JESSICA, Reason.ALREADY_REFUNDED),
        ("A1006", OLIVER, Reason.NOTHING_TO_REFUND),  # cancelled and already refunded
    ],
)
def test_refund_refused_by_status(service: OrderService, sessions, order_id, email, reason):
    before = refunds_of(sessions, order_id)
    with pytest.raises(RefundNotAllowed) as refused:
        service.request_refund(order_id, email, "please")
    assert refused.value.reason is reason and refused.value.order_id == order_id
    assert refunds_of(sessions, order_id) == before


def test_returned_order_refunds_the_returned_items_minus_uk_return_fee(service: OrderService):
    order = service.get_order("A1007", OLIVER)
    value = sum((line.line_total for line in order.lines), Decimal("0"))
    refund = service.request_refund("A1007", OLIVER, "return sent back")
    assert refund.amount == value - Decimal("6.95")


def test_cancelled_paid_order_returns_the_refund_made_at_cancellation(service: OrderService):
    outcome = service.cancel_order("A1002", EMMA)
    assert outcome.refund is not None
    again = service.request_refund("A1002", EMMA, "where is my money")
    assert again.reference == outcome.refund.reference and not again.created


def test_refund_status_by_reference(service: OrderService, sessions):
    ((reference, amount, status, _),) = refunds_of(sessions, "A1008")
    assert status is RefundStatus.PROCESSED
    for typed in (reference, reference.lower(), reference.replace("-", ""), f" #{reference} "):
        view = service.refund_status(typed)
        assert (view.reference, view.amount, view.order_id) == (reference, amount, "A1008")
    assert service.refund_status(reference, " Jessica.Miller@example.com ").processed_at
    with pytest.raises(VerificationFailed):
        service.refund_status(reference, EMMA)


@pytest.mark.parametrize("reference", ["RF-00000", "RF-1234", "hello", ""])
def test_unknown_refund_reference(service: OrderService, sessions, reference):
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Refund)) > 0
    with pytest.raises(RefundNotFound):
        service.refund_status(reference)
