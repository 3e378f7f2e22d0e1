"""The shop's rules as pure functions: numbers from docs/shop-facts.md."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from bot.commerce.enums import OrderStatus, RefundStatus, ShippingMethod, Zone
from bot.commerce.policy import (
    Reason,
    ReturnItem,
    address_change_decision,
    cancel_decision,
    invoice_available,
    refund_decision,
    refundable_amount,
    return_decision,
)
from bot.commerce.zones import (
    ZONES,
    add_business_days,
    estimated_delivery,
    shipping_cost,
    zone_for_country,
)

pytestmark = pytest.mark.unit

D = Decimal
DELIVERED = datetime(2026, 10, 1, 14, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("status", "allowed", "reason", "fee", "suggest_return"),
    [
        (OrderStatus.PENDING, True, Reason.CANCEL_FREE, D("0"), False),
        (OrderStatus.PAID, True, Reason.CANCEL_FREE, D("0"), False),
        (OrderStatus.PACKED, True, Reason.CANCEL_WITH_FEE, D("4.95"), False),
        (OrderStatus.SHIPPED, False, Reason.ALREADY_SHIPPED, D("0"), True),
        (OrderStatus.DELIVERED, False, Reason.ALREADY_DELIVERED, D("0"), True),
        (OrderStatus.CANCELLED, False, Reason.ALREADY_CANCELLED, D("0"), False),
        (OrderStatus.RETURNED, False, Reason.ALREADY_RETURNED, D("0"), False),
        (OrderStatus.REFUNDED, False, Reason.ALREADY_REFUNDED, D("0"), False),
    ],
)
def test_cancel_decision_per_status(status, allowed, reason, fee, suggest_return):
    decision = cancel_decision(status)
    assert (decision.allowed, decision.reason, decision.fee, decision.suggest_return) == (
        allowed, reason, fee, suggest_return,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("status", "allowed", "reason"),
    [
        (OrderStatus.PENDING, True, Reason.ADDRESS_CHANGE_ALLOWED),
        (OrderStatus.PAID, True, Reason.ADDRESS_CHANGE_ALLOWED),
        (OrderStatus.PACKED, False, Reason.ALREADY_PACKED),
        (OrderStatus.SHIPPED, False, Reason.ALREADY_SHIPPED),
        (OrderStatus.DELIVERED, False, Reason.ALREADY_DELIVERED),
        (OrderStatus.CANCELLED, False, Reason.ALREADY_CANCELLED),
    ],
)
def test_address_change_decision_per_status(status, allowed, reason):
    decision = address_change_decision(status)
    assert (decision.allowed, decision.reason) == (allowed, reason)


def test_address_change_to_another_zone_is_refused():
    assert address_change_decision(OrderStatus.PAID, Zone.NL, Zone.NL).allowed
    decision = address_change_decision(OrderStatus.PAID, Zone.NL, Zone.EU1)
    assert (decision.allowed, decision.reason) == (False, Reason.DIFFERENT_ZONE)


def _item(sku="S1", category="Clothing", final_sale=False, amount="50.00"):
    return ReturnItem(sku, category, final_sale, D(amount))


@pytest.mark.parametrize(("days", "allowed"), [(0, True), (30, True), (31, False)])
def test_return_window_is_30_days_from_delivery(days, allowed):
    now = DELIVERED + timedelta(days=days)
    decision = return_decision(OrderStatus.DELIVERED, DELIVERED, [_item()], Zone.NL, "", now)
    assert decision.allowed is allowed
    assert decision.deadline == date(2026, 10, 31)
    if not allowed:
        assert decision.reason is Reason.WINDOW_EXPIRED


@pytest.mark.parametrize(("days", "allowed"), [(14, True), (15, False)])
def test_beauty_and_care_has_14_days_and_must_be_unopened(days, allowed):
    item = _item(category="Beauty & Care")
    now = DELIVERED + timedelta(days=days)
    decision = return_decision(OrderStatus.DELIVERED, DELIVERED, [item], Zone.NL, "", now)
    assert decision.allowed is allowed
    assert decision.unopened_only is allowed


def test_final_sale_items_are_excluded_and_alone_refused():
    now = DELIVERED + timedelta(days=2)
    final = _item("F1", final_sale=True)
    alone = return_decision(OrderStatus.DELIVERED, DELIVERED, [final], Zone.NL, "", now)
    assert (alone.allowed, alone.reason) == (False, Reason.FINAL_SALE)
    mixed = return_decision(OrderStatus.DELIVERED, DELIVERED, [final, _item()], Zone.NL, "", now)
    assert mixed.allowed and mixed.eligible_skus == ("S1",)
    assert dict(mixed.excluded) == {"F1": Reason.FINAL_SALE}


@pytest.mark.parametrize(
    ("zone", "reason", "fee", "label"),
    [
        (Zone.NL, "Too small", D("0.00"), True),
        (Zone.EU1, "Too small", D("0.00"), True),
        (Zone.EU2, "Too small", D("6.95"), False),
        (Zone.UK, "Changed my mind", D("6.95"), False),
        (Zone.NA, "Too big", D("6.95"), False),
        (Zone.NA, "It arrived faulty", D("0.00"), True),
        (Zone.UK, "Wrong item sent", D("0.00"), True),
    ],
)
def test_return_shipping_fee_by_zone_and_reason(zone, reason, fee, label):
    now = DELIVERED + timedelta(days=1)
    decision = return_decision(OrderStatus.DELIVERED, DELIVERED, [_item()], zone, reason, now)
    assert decision.return_shipping_fee == fee
    assert decision.refund_estimate == D("50.00") - fee
    assert decision.prepaid_label is label


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (OrderStatus.PAID, Reason.NOT_DELIVERED),
        (OrderStatus.SHIPPED, Reason.NOT_DELIVERED),
        (OrderStatus.CANCELLED, Reason.ALREADY_CANCELLED),
        (OrderStatus.REFUNDED, Reason.ALREADY_REFUNDED),
    ],
)
def test_only_delivered_orders_can_be_returned(status, reason):
    decision = return_decision(status, DELIVERED, [_item()], Zone.NL, "", DELIVERED)
    assert (decision.allowed, decision.reason) == (False, reason)


@pytest.mark.parametrize(
    ("amount", "status", "needs_agent"),
    [
        ("250.00", RefundStatus.REQUESTED, False),
        ("250.01", RefundStatus.UNDER_REVIEW, True),
        ("12.50", RefundStatus.REQUESTED, False),
    ],
)
def test_refunds_above_250_need_a_human_review(amount, status, needs_agent):
    decision = refund_decision(OrderStatus.DELIVERED, refundable=D("900"), requested=D(amount))
    assert decision.allowed
    assert (decision.status, decision.needs_agent) == (status, needs_agent)
    assert decision.amount == D(amount)


@pytest.mark.parametrize(
    ("status", "refundable", "requested", "reason"),
    [
        (OrderStatus.PAID, D("10"), None, Reason.CANCEL_INSTEAD),
        (OrderStatus.SHIPPED, D("10"), None, Reason.NOT_DELIVERED),
        (OrderStatus.REFUNDED, D("10"), None, Reason.ALREADY_REFUNDED),
        (OrderStatus.CANCELLED, D("0"), None, Reason.NOTHING_TO_REFUND),
        (OrderStatus.DELIVERED, D("10"), D("10.01"), Reason.AMOUNT_TOO_HIGH),
        (OrderStatus.DELIVERED, D("10"), D("0"), Reason.INVALID_AMOUNT),
        (OrderStatus.DELIVERED, D("10"), D("-5"), Reason.INVALID_AMOUNT),
    ],
)
def test_refund_refusals(status, refundable, requested, reason):
    decision = refund_decision(status, refundable=refundable, requested=requested)
    assert (decision.allowed, decision.reason, decision.max_amount) == (False, reason, refundable)


def test_refundable_amount_takes_fee_refunds_and_return_value_into_account():
    assert refundable_amount(captured=D("100"), already_refunded=D("0")) == D("100")
    assert refundable_amount(
        captured=D("100"), already_refunded=D("0"), cancellation_fee=D("4.95")
    ) == D("95.05")
    assert refundable_amount(
        captured=D("100"), already_refunded=D("20"), return_value=D("43.05")
    ) == D("23.05")
    assert refundable_amount(captured=D("0"), already_refunded=D("0")) == D("0")


@pytest.mark.parametrize(
    ("zone", "method", "subtotal", "cost"),
    [
        (Zone.NL, ShippingMethod.STANDARD, "49.99", "3.95"),
        (Zone.NL, ShippingMethod.STANDARD, "50.00", "0.00"),
        (Zone.NL, ShippingMethod.EXPRESS, "500.00", "7.95"),
        (Zone.EU1, ShippingMethod.STANDARD, "49.99", "6.95"),
        (Zone.EU1, ShippingMethod.EXPRESS, "10.00", "14.95"),
        (Zone.EU2, ShippingMethod.STANDARD, "74.99", "9.95"),
        (Zone.EU2, ShippingMethod.STANDARD, "75.00", "0.00"),
        (Zone.EU2, ShippingMethod.EXPRESS, "75.00", "19.95"),
        (Zone.UK, ShippingMethod.STANDARD, "119.99", "12.95"),
        (Zone.UK, ShippingMethod.STANDARD, "120.00", "0.00"),
        (Zone.NA, ShippingMethod.STANDARD, "5000.00", "19.95"),
        (Zone.NA, ShippingMethod.EXPRESS, "10.00", "34.95"),
    ],
)
def test_shipping_cost_and_free_shipping_thresholds(zone, method, subtotal, cost):
    assert shipping_cost(zone, method, D(subtotal)) == D(cost)


def test_no_express_to_the_uk():
    assert not ZONES[Zone.UK].offers_express
    with pytest.raises(ValueError, match="express"):
        shipping_cost(Zone.UK, ShippingMethod.EXPRESS, D("10"))


def test_zone_table_carriers_and_countries():
    carriers = {zone: info.carrier for zone, info in ZONES.items()}
    assert carriers == {
        Zone.NL: "PostNL",
        Zone.EU1: "DHL",
        Zone.EU2: "DHL",
        Zone.UK: "DPD",
        Zone.NA: "UPS",
    }
    assert zone_for_country(" nl ") is Zone.NL
    assert zone_for_country("de") is Zone.EU1
    assert zone_for_country("IT") is Zone.EU2
    assert zone_for_country("uk") is Zone.UK
    assert zone_for_country("GB") is Zone.UK
    assert zone_for_country("ca") is Zone.NA
    assert zone_for_country("JP") is None
    assert zone_for_country("CH") is None  # Switzerland is not in the EU


def test_business_days_skip_weekends():
    friday = date(2026, 10, 30)
    assert add_business_days(friday, 1) == date(2026, 11, 2)
    assert add_business_days(friday, 0) == friday
    assert estimated_delivery(Zone.NL, ShippingMethod.STANDARD, friday) == date(2026, 11, 3)
    assert estimated_delivery(Zone.NA, ShippingMethod.STANDARD, friday) == date(2026, 11, 11)


def test_invoices_exist_once_shipped():
    available = {status for status in OrderStatus if invoice_available(status)}
    assert available == {
        OrderStatus.SHIPPED,
        OrderStatus.DELIVERED,
        OrderStatus.RETURNED,
        OrderStatus.REFUNDED,
    }
