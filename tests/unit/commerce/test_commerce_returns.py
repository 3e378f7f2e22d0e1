"""Starting returns: the window, beauty & care, final sale, fees, and stored results."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.commerce import (
    OrderService,
    OrderStatus,
    Reason,
    ReturnNotAllowed,
    ReturnStatus,
    VerificationFailed,
)
from bot.commerce.models import Order, Return

pytestmark = pytest.mark.unit

EMMA = "emma.devries@example.com"
LUKAS = "lukas.schneider@example.net"
OLIVER = "oliver.bennett@example.org"
JESSICA = "jessica.miller@example.com"
GIULIA = "giulia.rossi@example.net"


def stored(sessions: sessionmaker[Session], order_id: str) -> tuple[object, list[tuple]]:
    with sessions() as session:
        order = session.get(Order, order_id)
        assert order is not None
        rows = session.scalars(select(Return).where(Return.order_id == order_id))
        return order.status, [(r.reference, r.skus, r.status, r.reason) for r in rows]


def test_return_whole_delivered_order_in_nl(service: OrderService, sessions, clock):
    order = service.get_order("A1005", EMMA)
    ret = service.start_return("A1005", EMMA, reason="Changed my mind")
    assert re.fullmatch(r"RT-\d{5}", ret.reference) and ret.created
    assert ret.skus == tuple(line.sku for line in order.lines)
    assert (ret.status, ret.return_shipping_fee, ret.prepaid_label) == (
        ReturnStatus.REQUESTED, Decimal("0.00"), True,
    )  # fmt: skip
    assert ret.refund_estimate == order.subtotal
    assert ret.deadline == date(2026, 11, 29) and ret.created_at == clock.now
    status, rows = stored(sessions, "A1005")
    assert status is OrderStatus.RETURNED
    assert rows == [(ret.reference, list(ret.skus), ReturnStatus.REQUESTED, "Changed my mind")]


def test_second_start_return_gives_the_same_return(service: OrderService, sessions):
    first = service.start_return("A1005", EMMA, reason="Too big")
    second = service.start_return("A1005", EMMA, reason="Too big")
    assert second.reference == first.reference and not second.created
    assert len(stored(sessions, "A1005")[1]) == 1


def test_return_chosen_items_case_insensitive(service: OrderService):
    sku = service.get_order("A1005", EMMA).lines[0].sku
    ret = service.start_return("A1005", EMMA, skus=[f" {sku.lower()} "], reason="Too small")
    assert ret.skus == (sku,)


def test_unknown_items_are_refused(service: OrderService, sessions):
    for skus in (["NOPE-1"], []):
        with pytest.raises(ReturnNotAllowed) as refused:
            service.start_return("A1005", EMMA, skus=skus, reason="x")
        assert refused.value.reason is Reason.UNKNOWN_ITEMS
    assert stored(sessions, "A1005") == (OrderStatus.DELIVERED, [])


def test_return_window_closes_after_30_days(service: OrderService, sessions, clock):
    delivered = service.get_order("A1005", EMMA).delivered_at
    assert delivered is not None
    clock.set(delivered + timedelta(days=31))
    with pytest.raises(ReturnNotAllowed) as refused:
        service.start_return("A1005", EMMA, reason="Too small")
    assert refused.value.reason is Reason.WINDOW_EXPIRED
    assert refused.value.details["deadline"] == date(2026, 11, 29)
    assert stored(sessions, "A1005") == (OrderStatus.DELIVERED, [])
    clock.set(delivered + timedelta(days=30))
    assert service.start_return("A1005", EMMA, reason="Too small").created


def test_beauty_past_14_days_and_final_sale_are_left_out(service: OrderService):
    order = service.get_order("A1009", GIULIA)  # delivered 20 days before the clock
    beauty = next(line for line in order.lines if line.category == "Beauty & Care")
    final = next(line for line in order.lines if line.final_sale)
    regular = next(line for line in order.lines if line not in (beauty, final))
    ret = service.start_return("A1009", GIULIA, reason="Not as described")
    assert ret.skus == (regular.sku,)
    assert dict(ret.excluded) == {beauty.sku: Reason.WINDOW_EXPIRED, final.sku: Reason.FINAL_SALE}
    assert ret.return_shipping_fee == Decimal("6.95")  # EU2
    assert ret.refund_estimate == regular.line_total - Decimal("6.95")


@pytest.mark.parametrize(("kind", "reason"), [("final", Reason.FINAL_SALE),
                                              ("beauty", Reason.WINDOW_EXPIRED)])  # fmt: skip
def test_only_unreturnable_items_is_refused(service: OrderService, sessions, kind, reason):
    order = service.get_order("A1009", GIULIA)
    line = next(
        ln for ln in order.lines
        if (ln.final_sale if kind == "final" else ln.category == "Beauty & Care")
    )  # fmt: skip
    with pytest.raises(ReturnNotAllowed) as refused:
        service.start_return("A1009", GIULIA, skus=[line.sku], reason="x")
    assert refused.value.reason is reason
    assert stored(sessions, "A1009") == (OrderStatus.DELIVERED, [])


def test_beauty_within_14_days_must_be_unopened(service: OrderService, clock):
    order = service.get_order("A1009", GIULIA)
    assert order.delivered_at is not None
    clock.set(order.delivered_at + timedelta(days=10))
    beauty = next(line for line in order.lines if line.category == "Beauty & Care")
    ret = service.start_return("A1009", GIULIA, skus=[beauty.sku], reason="Arrived damaged")
    assert ret.skus == (beauty.sku,)
    assert ret.return_shipping_fee == Decimal("0.00") and ret.prepaid_label  # faulty: free


@pytest.mark.parametrize(
    ("order_id", "email", "reason"),
    [
        ("A1002", EMMA, Reason.NOT_DELIVERED),
        ("A1004", LUKAS, Reason.NOT_DELIVERED),
        ("A1006", OLIVER, Reason.ALREADY_CANCELLED),
        ("A1008", JESSICA, Reason.ALREADY_REFUNDED),
    ],
)
def test_return_refused_by_status(service: OrderService, sessions, order_id, email, reason):
    before = stored(sessions, order_id)
    with pytest.raises(ReturnNotAllowed) as refused:
        service.start_return(order_id, email, reason="x")
    assert refused.value.reason is reason
    assert stored(sessions, order_id) == before


def test_order_being_returned_gives_its_return(service: OrderService):
    ret = service.start_return("A1007", OLIVER, reason="again")
    assert not ret.created and ret.status is ReturnStatus.LABEL_SENT and ret.reason == "Too small"
    assert ret.return_shipping_fee == Decimal("6.95")


def test_wrong_email_cannot_start_a_return(service: OrderService, sessions):
    with pytest.raises(VerificationFailed):
        service.start_return("A1005", LUKAS, reason="x")
    assert stored(sessions, "A1005") == (OrderStatus.DELIVERED, [])
