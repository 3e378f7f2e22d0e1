"""Personal data is masked in log lines and exports; order numbers, prices and dates stay."""

from __future__ import annotations

import logging

import pytest

from bot.privacy.masking import (
    PersonalDataFilter,
    install_log_masking,
    luhn_valid,
    mask_personal_data,
    mask_value,
)

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("mail jan.de.vries+shop@example.co.uk now", "mail [email] now"),
        ("call +31 6 1234 5678 or (030) 555 0142", "call [phone] or [phone]"),
        ("my number is 0612345678", "my number is [phone]"),
        ("0031 30 555 0142", "[phone]"),
        ("card 4111 1111 1111 1111, exp 12/28", "card [card], exp 12/28"),
        ("5500-0000-0000-0004", "[card]"),
        ("IBAN NL91ABNA0417164300 please", "IBAN [iban] please"),
        ("send it to 12 Baker Street, London", "send it to [address], London"),
        ("Kerkstraat 12, Utrecht", "[address], Utrecht"),
        ("221B Baker St.", "[address]"),
    ],
)
def test_personal_data_is_masked(text, masked):
    assert mask_personal_data(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "order A1004 costs €49.95, paid on 2026-12-03 10:00",
        "refund RF-12345 and return RT-12345",
        "12 items in 3 days, 30-day returns",
        "took 1764777600.123 s; version 3.21.1",
        "1234567890123456 is not a card number (Luhn)",
        "tracking JJD0001234567",
    ],
)
def test_shop_facts_stay(text):
    assert mask_personal_data(text) == text


def test_luhn():
    assert luhn_valid("4111111111111111") and not luhn_valid("4111111111111112")


def test_exports_are_masked_inside_lists_and_dicts():
    row = {"question": "is a@b.nl my login?", "times": 2, "tags": ["call 0612345678"]}
    assert mask_value(row) == {
        "question": "is [email] my login?",
        "times": 2,
        "tags": ["call [phone]"],
    }


def test_the_filter_masks_the_message_its_arguments_and_the_exception():
    record = logging.LogRecord(
        "t", logging.INFO, __file__, 1, "question %r from %s", ("x", "a@b.nl"), None
    )
    PersonalDataFilter().filter(record)
    assert record.getMessage() == "question 'x' from [email]"
    try:
        raise ValueError("bad address jan@example.com")
    except ValueError as error:
        failed = logging.LogRecord(
            "t", logging.ERROR, __file__, 1, "failed", None, (ValueError, error, None)
        )
    PersonalDataFilter().filter(failed)
    assert "jan@example.com" not in failed.exc_text and "[email]" in failed.exc_text


def test_installed_masking_covers_every_logger_and_handler(caplog):
    before = logging.getLogRecordFactory()
    try:
        install_log_masking()
        install_log_masking()  # twice changes nothing
        with caplog.at_level(logging.INFO):
            logging.getLogger("bot.anything").info("reply to %s at +31 6 1234 5678", "ann@shop.nl")
        assert caplog.messages[-1] == "reply to [email] at [phone]"
    finally:
        logging.setLogRecordFactory(before)
