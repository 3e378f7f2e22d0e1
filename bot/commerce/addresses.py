"""A shipping address typed by a shopper, and its validation."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from bot.commerce.enums import Zone
from bot.commerce.zones import normalise_country, zone_for_country

# Postcode shapes of the countries most orders go to; others get a generic check.
_POSTCODE_PATTERNS: Mapping[str, re.Pattern[str]] = MappingProxyType(
    {
        "NL": re.compile(r"^[1-9][0-9]{3} ?(?!SA|SD|SS)[A-Z]{2}$"),
        "BE": re.compile(r"^[1-9][0-9]{3}$"),
        "LU": re.compile(r"^(L-)?[0-9]{4}$"),
        "DE": re.compile(r"^[0-9]{5}$"),
        "FR": re.compile(r"^[0-9]{5}$"),
        "AT": re.compile(r"^[1-9][0-9]{3}$"),
        "IT": re.compile(r"^[0-9]{5}$"),
        "ES": re.compile(r"^[0-9]{5}$"),
        "PL": re.compile(r"^[0-9]{2}-[0-9]{3}$"),
        "GB": re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$"),
        "US": re.compile(r"^[0-9]{5}(-[0-9]{4})?$"),
        "CA": re.compile(r"^[A-Z][0-9][A-Z] ?[0-9][A-Z][0-9]$"),
    }
)
_GENERIC_POSTCODE = re.compile(r"^[A-Z0-9][A-Z0-9 -]{1,9}$")
_PO_BOX = re.compile(r"\b(p\.?\s*o\.?\s*box|postbus|postfach|post office box)\b", re.IGNORECASE)
_MAX_LENGTHS = {"name": 160, "line1": 200, "line2": 200, "postcode": 16, "city": 100}


@dataclass(frozen=True)
class AddressInput:
    """A new shipping address; ``name`` empty keeps the order's recipient name."""

    line1: str
    postcode: str
    city: str
    country_code: str
    line2: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class CleanAddress:
    """A validated address, trimmed and normalised (postcode upper-case, ISO country)."""

    line1: str
    line2: str | None
    postcode: str
    city: str
    country_code: str
    zone: Zone
    name: str | None


@dataclass(frozen=True)
class AddressCheck:
    """Result of :func:`validate_address`: field name → error code, or a clean address."""

    errors: Mapping[str, str]
    address: CleanAddress | None

    @property
    def ok(self) -> bool:
        """Whether the address is valid."""
        return not self.errors


def validate_address(address: AddressInput) -> AddressCheck:
    """Checks an address: required fields, supported country, postcode shape, no P.O. box.

    Error codes per field: ``required``, ``too_long``, ``unsupported_country``,
    ``invalid_format``, ``po_box``.
    """
    fields = {
        "name": (address.name or "").strip(),
        "line1": (address.line1 or "").strip(),
        "line2": (address.line2 or "").strip(),
        "postcode": " ".join((address.postcode or "").upper().split()),
        "city": (address.city or "").strip(),
    }
    errors: dict[str, str] = {}
    for key in ("line1", "postcode", "city"):
        if not fields[key]:
            errors[key] = "required"
    for key, limit in _MAX_LENGTHS.items():
        if len(fields[key]) > limit:
            errors[key] = "too_long"
    country = normalise_country(address.country_code or "")
    zone = zone_for_country(country)
    if not country:
        errors["country_code"] = "required"
    elif zone is None:
        errors["country_code"] = "unsupported_country"
    if fields["postcode"] and "postcode" not in errors:
        pattern = _POSTCODE_PATTERNS.get(country, _GENERIC_POSTCODE)
        if not pattern.match(fields["postcode"]):
            errors["postcode"] = "invalid_format"
    for key in ("line1", "line2"):
        if key not in errors and _PO_BOX.search(fields[key]):
            errors[key] = "po_box"
    if errors or zone is None:
        return AddressCheck(MappingProxyType(errors), None)
    clean = CleanAddress(
        line1=fields["line1"],
        line2=fields["line2"] or None,
        postcode=fields["postcode"],
        city=fields["city"],
        country_code=country,
        zone=zone,
        name=fields["name"] or None,
    )
    return AddressCheck(MappingProxyType({}), clean)
