"""Shipping zones, carriers, prices and delivery times (numbers from ``docs/shop-facts.md``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from types import MappingProxyType

from bot.commerce.enums import ShippingMethod, Zone


@dataclass(frozen=True)
class ZoneInfo:
    """Everything the shop promises about one shipping zone.

    Attributes:
        zone: The zone.
        countries: ISO 3166-1 alpha-2 codes of the countries in it.
        carrier: The carrier that delivers there.
        standard_days: Business days (min, max) for standard shipping.
        standard_price: Standard shipping price.
        express_days: Business days (min, max) for express, ``None`` when not offered.
        express_price: Express price, ``None`` when not offered.
        free_standard_from: Subtotal from which standard shipping is free, ``None`` if never.
        return_shipping_fee: Deducted from a refund for returns (not faulty or wrong items).
    """

    zone: Zone
    countries: tuple[str, ...]
    carrier: str
    standard_days: tuple[int, int]
    standard_price: Decimal
    express_days: tuple[int, int] | None
    express_price: Decimal | None
    free_standard_from: Decimal | None
    return_shipping_fee: Decimal

    @property
    def offers_express(self) -> bool:
        """Whether express shipping is offered in this zone."""
        return self.express_days is not None


_EU2 = (
    "AT", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "GR", "HU", "IE",
    "IT", "LV", "LT", "MT", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
)  # fmt: skip

ZONES: Mapping[Zone, ZoneInfo] = MappingProxyType(
    {
        Zone.NL: ZoneInfo(
            Zone.NL, ("NL",), "PostNL", (1, 2), Decimal("3.95"),
            (1, 1), Decimal("7.95"), Decimal("50.00"), Decimal("0.00"),
        ),
        Zone.EU1: ZoneInfo(
            Zone.EU1, ("BE", "DE", "LU", "FR"), "DHL", (2, 4), Decimal("6.95"),
            (1, 2), Decimal("14.95"), Decimal("50.00"), Decimal("0.00"),
        ),
        Zone.EU2: ZoneInfo(
            Zone.EU2, _EU2, "DHL", (3, 6), Decimal("9.95"),
            (2, 3), Decimal("19.95"), Decimal("75.00"), Decimal("6.95"),
        ),
        Zone.UK: ZoneInfo(
            Zone.UK, ("GB",), "DPD", (3, 5), Decimal("12.95"),
            None, None, Decimal("120.00"), Decimal("6.95"),
        ),
        Zone.NA: ZoneInfo(
            Zone.NA, ("US", "CA"), "UPS", (5, 8), Decimal("19.95"),
            (2, 4), Decimal("34.95"), None, Decimal("6.95"),
        ),
    }
)  # fmt: skip

_COUNTRY_ZONE = {country: info.zone for info in ZONES.values() for country in info.countries}
# Codes people type that are not ISO: the United Kingdom is "GB" in ISO 3166.
COUNTRY_ALIASES: Mapping[str, str] = MappingProxyType({"UK": "GB", "EL": "GR"})


def normalise_country(code: str) -> str:
    """Upper-cases a country code and maps common aliases (``UK`` → ``GB``)."""
    cleaned = code.strip().upper()
    return COUNTRY_ALIASES.get(cleaned, cleaned)


def zone_for_country(code: str) -> Zone | None:
    """The shipping zone of a country code, or ``None`` when the shop does not ship there."""
    return _COUNTRY_ZONE.get(normalise_country(code))


def shipping_cost(zone: Zone, method: ShippingMethod, subtotal: Decimal) -> Decimal:
    """The shipping price of an order.

    Args:
        zone: Destination zone.
        method: Standard or express.
        subtotal: Sum of the order lines (prices include VAT).

    Raises:
        ValueError: Express shipping is not offered in the zone.
    """
    info = ZONES[zone]
    if method is ShippingMethod.EXPRESS:
        if info.express_price is None:
            raise ValueError(f"express shipping is not offered in zone {zone}")
        return info.express_price
    if info.free_standard_from is not None and subtotal >= info.free_standard_from:
        return Decimal("0.00")
    return info.standard_price


def delivery_window(zone: Zone, method: ShippingMethod) -> tuple[int, int]:
    """Business days (min, max) from shipping to delivery.

    Raises:
        ValueError: Express shipping is not offered in the zone.
    """
    info = ZONES[zone]
    if method is ShippingMethod.EXPRESS:
        if info.express_days is None:
            raise ValueError(f"express shipping is not offered in zone {zone}")
        return info.express_days
    return info.standard_days


def add_business_days(start: date, days: int) -> date:
    """The date ``days`` business days (Monday to Friday) after ``start``."""
    if days < 0:
        raise ValueError(f"days must be >= 0. Currently, days is {days}")
    current = start
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current


def estimated_delivery(zone: Zone, method: ShippingMethod, shipped: date) -> date:
    """The latest day of the delivery window for a parcel shipped on ``shipped``."""
    return add_business_days(shipped, delivery_window(zone, method)[1])
