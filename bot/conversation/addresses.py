"""Parses a delivery address the shopper typed in one line ("street 1, 1234 AB City, Country")."""

from __future__ import annotations

import re
from dataclasses import dataclass

COUNTRY_CODES: dict[str, str] = {
    "netherlands": "NL",
    "the netherlands": "NL",
    "holland": "NL",
    "nederland": "NL",
    "nl": "NL",
    "belgium": "BE",
    "be": "BE",
    "germany": "DE",
    "deutschland": "DE",
    "de": "DE",
    "luxembourg": "LU",
    "lu": "LU",
    "france": "FR",
    "fr": "FR",
    "austria": "AT",
    "at": "AT",
    "denmark": "DK",
    "dk": "DK",
    "spain": "ES",
    "es": "ES",
    "italy": "IT",
    "it": "IT",
    "ireland": "IE",
    "ie": "IE",
    "portugal": "PT",
    "pt": "PT",
    "sweden": "SE",
    "se": "SE",
    "finland": "FI",
    "fi": "FI",
    "poland": "PL",
    "pl": "PL",
    "czech republic": "CZ",
    "czechia": "CZ",
    "cz": "CZ",
    "greece": "GR",
    "gr": "GR",
    "hungary": "HU",
    "hu": "HU",
    "slovakia": "SK",
    "slovenia": "SI",
    "croatia": "HR",
    "romania": "RO",
    "bulgaria": "BG",
    "estonia": "EE",
    "latvia": "LV",
    "lithuania": "LT",
    "malta": "MT",
    "cyprus": "CY",
    "united kingdom": "GB",
    "uk": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "gb": "GB",
    "united states": "US",
    "usa": "US",
    "us": "US",
    "united states of america": "US",
    "canada": "CA",
    "ca": "CA",
}

_POSTCODE_CITY = re.compile(
    r"^(?P<postcode>(?:[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2})|(?:\d{4,5}(?:-\d{4})?(?:\s?[A-Z]{2})?)|"
    r"(?:[A-Z]\d[A-Z]\s?\d[A-Z]\d))\s+(?P<city>.+)$",
    re.IGNORECASE,
)
_CITY_POSTCODE = re.compile(
    r"^(?P<city>[^\d]+?)\s+(?P<postcode>[A-Z]{0,2}\s?\d[\dA-Z\s-]{2,9})$", re.I
)


@dataclass(frozen=True)
class ParsedAddress:
    """An address split into the fields the shop database stores."""

    line1: str
    postcode: str
    city: str
    country: str  # ISO 3166-1 alpha-2

    def one_line(self) -> str:
        """Formats the address on one line for confirmations."""
        return f"{self.line1}, {self.postcode} {self.city}, {self.country}"


class AddressParseError(ValueError):
    """The text could not be read as an address; the message says what is missing."""


def parse_address(text: str) -> ParsedAddress:
    """Reads "street and number, postcode city, country" (commas or new lines between parts).

    Raises:
        AddressParseError: With a shopper-readable reason when a part is missing or unknown.
    """
    parts = [p.strip() for p in re.split(r"[,\n;]+", text or "") if p.strip()]
    if len(parts) < 3:
        raise AddressParseError(
            "I need the street and house number, the postcode and city, and the country, "
            "separated by commas."
        )
    country_text = parts[-1].lower().strip(". ")
    country = COUNTRY_CODES.get(country_text)
    if country is None:
        raise AddressParseError(f'I don\'t recognise "{parts[-1]}" as a country we ship to.')
    line1 = parts[0]
    if not re.search(r"\d", line1) or not re.search(r"[^\W\d_]", line1):
        raise AddressParseError("The first part should be the street with its house number.")
    place = " ".join(parts[1:-1])
    match = _POSTCODE_CITY.match(place) or _CITY_POSTCODE.match(place)
    if not match:
        raise AddressParseError("I couldn't find both a postcode and a city in the address.")
    return ParsedAddress(
        line1=line1,
        postcode=" ".join(match.group("postcode").upper().split()),
        city=match.group("city").strip().title()
        if match.group("city").islower()
        else match.group("city").strip(),
        country=country,
    )
