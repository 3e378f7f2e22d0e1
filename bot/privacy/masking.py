"""Masks personal data in text that leaves the conversation: log lines and exports.

E-mail addresses, phone numbers, street addresses and payment-like numbers (card numbers that
pass the Luhn check, IBANs) become ``[email]``, ``[phone]``, ``[address]`` and ``[card]``/
``[iban]``. Order numbers (``A1004``), references (``RF-12345``), prices and dates stay.
"""

from __future__ import annotations

import logging
import re
from typing import Any

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b")
CARD = re.compile(r"(?<![\w-])(?:\d[ -]?){12,18}\d(?![\w-])")
PHONE = re.compile(r"(?<![\w/-])(?:\+|\()?\d[\d ()./-]{7,}\d(?![\w-])")
STREET = re.compile(
    r"\b\d{1,5}[a-zA-Z]?\s+(?:[A-Z][\w'-]*\s+){0,3}(?:street|st|road|rd|avenue|ave|lane|ln|"
    r"drive|dr|way|boulevard|blvd|court|ct|place|pl|square|sq|close|crescent|terrace)\b\.?"
    r"|\b(?:[A-Z][\w'-]*)(?:straat|laan|weg|plein|gracht|kade|singel|dijk|steeg|strasse|"
    r"straße|gasse|allee)\s+\d{1,5}[a-zA-Z]?\b",
    re.IGNORECASE,
)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b")


def luhn_valid(digits: str) -> bool:
    """Whether ``digits`` pass the Luhn check of payment card numbers."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _card(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group())
    card_like = 13 <= len(digits) <= 19 and digits[0] in "23456"  # the card networks' ranges
    return "[card]" if card_like and luhn_valid(digits) else match.group()


def _phone(match: re.Match[str]) -> str:
    text = match.group()
    digits = re.sub(r"\D", "", text)
    if len(digits) < 8 or len(digits) > 15 or _DATE.search(text):
        return text
    if re.fullmatch(r"[\d.]+", text):  # a plain number: a phone only as 9+ digits, no dots
        return "[phone]" if "." not in text and len(digits) >= 9 else text
    return "[phone]"


def mask_personal_data(text: str) -> str:
    """``text`` with e-mail addresses, payment-like numbers, phone numbers and street
    addresses replaced by placeholders."""
    if not text:
        return text
    text = EMAIL.sub("[email]", text)
    text = IBAN.sub("[iban]", text)
    text = CARD.sub(_card, text)
    text = PHONE.sub(_phone, text)
    return STREET.sub("[address]", text)


def mask_value(value: Any) -> Any:
    """A copy of ``value`` (text, or lists and dicts of them) with personal data masked."""
    if isinstance(value, str):
        return mask_personal_data(value)
    if isinstance(value, dict):
        return {key: mask_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(mask_value(item) for item in value)
    return value


class PersonalDataFilter(logging.Filter):
    """A logging filter that masks personal data in each record's message and exception text."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed record still gets logged, as logging would
            return True
        record.msg, record.args = mask_personal_data(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_personal_data(record.exc_text)
        return True


def install_log_masking(logger: logging.Logger | None = None) -> PersonalDataFilter:
    """Masks personal data in everything ``logger``'s handlers (default: the root logger's)
    write, including handlers added later by the record factory: every record is masked when it
    is made, so no handler can write it unmasked."""
    masking = PersonalDataFilter()
    previous = logging.getLogRecordFactory()
    if not getattr(previous, "masks_personal_data", False):

        def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            masking.filter(record)
            return record

        factory.masks_personal_data = True  # type: ignore[attr-defined]
        logging.setLogRecordFactory(factory)
    target = logger or logging.getLogger()
    for handler in target.handlers:
        if masking not in handler.filters:
            handler.addFilter(masking)
    return masking
