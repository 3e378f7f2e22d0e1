"""When things happened to a demo order, worked backwards from when it reached its status."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from bot.commerce.enums import OrderStatus, ReturnStatus, ShippingMethod, Zone
from bot.commerce.zones import delivery_window


@dataclass(frozen=True)
class Timeline:
    """When an order went through its steps; ``updated_at`` is its last status change."""

    placed_at: datetime
    updated_at: datetime
    paid_at: datetime | None = None
    shipped_at: datetime | None = None
    delivered_at: datetime | None = None
    returned_at: datetime | None = None


def _minutes(rng: random.Random, low: int, high: int) -> timedelta:
    return timedelta(minutes=rng.randint(low, high))


def _weekday(moment: datetime) -> datetime:
    """Moves a weekend moment back to the Friday before (parcels arrive on weekdays)."""
    return moment - timedelta(days=max(moment.weekday() - 4, 0))


def _business_days_before(day: date, days: int) -> date:
    current = day
    while days:
        current -= timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def plan_timeline(
    rng: random.Random,
    status: OrderStatus,
    *,
    last: datetime,
    zone: Zone,
    method: ShippingMethod,
    cancelled_from: OrderStatus | None = None,
    return_status: ReturnStatus | None = None,
) -> Timeline:
    """A plausible history worked backwards from ``last``, when the order got its status."""
    if status is OrderStatus.PENDING:
        return Timeline(placed_at=last, updated_at=last)
    if status is OrderStatus.CANCELLED:
        if cancelled_from in (None, OrderStatus.PENDING):
            auto = rng.random() < 0.5  # unpaid orders are cancelled after 48 hours
            gap = timedelta(hours=48) if auto else _minutes(rng, 30, 40 * 60)
            return Timeline(placed_at=last - gap, updated_at=last)
        placed = last - _minutes(rng, 60, 30 * 60)
        return Timeline(placed, last, paid_at=placed + _minutes(rng, 0, 15))
    if status in (OrderStatus.PAID, OrderStatus.PACKED, OrderStatus.SHIPPED):
        placed = last - _minutes(rng, 5, 20) if status is OrderStatus.PAID else (
            last - _minutes(rng, 120, 30 * 60)
        )  # fmt: skip
        paid = min(placed + _minutes(rng, 0, 15), last)
        shipped = last if status is OrderStatus.SHIPPED else None
        return Timeline(placed, last, paid_at=paid, shipped_at=shipped)
    # delivered, returned, refunded: the parcel arrived first
    if status is OrderStatus.DELIVERED:
        delivered, returned = last, None
    elif status is OrderStatus.RETURNED:
        received = return_status is ReturnStatus.RECEIVED
        returned = last - (timedelta(days=rng.randint(2, 5)) if received else timedelta(0))
        delivered = returned - timedelta(days=rng.randint(1, 12), hours=rng.randint(1, 6))
    else:  # refunded: processed a few days after the return reached the warehouse
        returned = last - timedelta(days=rng.randint(4, 9))
        delivered = returned - timedelta(days=rng.randint(1, 12), hours=rng.randint(1, 6))
    delivered = _weekday(delivered)
    if not 8 <= delivered.hour < 19:  # couriers deliver in the daytime
        delivered = delivered.replace(hour=rng.randint(9, 17), minute=rng.randint(0, 59))
    low, high = delivery_window(zone, method)
    ship_day = _business_days_before(delivered.date(), rng.randint(low, high))
    shipped = datetime.combine(ship_day, time(rng.randint(13, 17), rng.randint(0, 59)), UTC)
    placed = shipped - _minutes(rng, 90, 28 * 60)
    updated = delivered if status is OrderStatus.DELIVERED else last
    return Timeline(
        placed, updated, paid_at=placed + _minutes(rng, 0, 15), shipped_at=shipped,
        delivered_at=delivered, returned_at=returned,
    )  # fmt: skip
