"""Changing the shipping address: allowed statuses, validation, and the stored result."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.commerce import AddressInput, OrderService, Reason, VerificationFailed, Zone
from bot.commerce.addresses import validate_address
from bot.commerce.models import Order

pytestmark = pytest.mark.unit

EMMA = "emma.devries@example.com"
LUKAS = "lukas.schneider@example.net"
AMSTERDAM = AddressInput(line1="Prinsengracht 263", postcode="1016 gv", city="Amsterdam",
                         country_code="nl", line2="2nd floor")  # fmt: skip


def stored_address(sessions: sessionmaker[Session], order_id: str) -> tuple[object, ...]:
    with sessions() as session:
        o = session.get(Order, order_id)
        assert o is not None
        return (o.ship_name, o.ship_line1, o.ship_line2, o.ship_postcode, o.ship_city,
                o.ship_country, o.ship_zone, o.updated_at)  # fmt: skip


@pytest.mark.parametrize("order_id", ["A1001", "A1002"])
def test_address_change_for_pending_and_paid(service, sessions, clock, order_id):
    outcome = service.change_shipping_address(order_id, EMMA, AMSTERDAM)
    assert outcome.changed and outcome.reason is Reason.ADDRESS_CHANGE_ALLOWED
    assert (outcome.address.city, outcome.address.postcode) == ("Amsterdam", "1016 GV")
    assert stored_address(sessions, order_id) == (
        "Emma de Vries", "Prinsengracht 263", "2nd floor", "1016 GV", "Amsterdam", "NL",
        Zone.NL, clock.now,
    )  # fmt: skip
    assert service.get_order(order_id, EMMA).shipping_address.line1 == "Prinsengracht 263"


def test_new_recipient_name_is_kept(service: OrderService, sessions):
    address = AddressInput("Oudegracht 1", "3511 AB", "Utrecht", "NL", name="E. de Vries-Bakker")
    assert service.change_shipping_address("A1001", EMMA, address).changed
    assert stored_address(sessions, "A1001")[0] == "E. de Vries-Bakker"


@pytest.mark.parametrize(
    ("order_id", "email", "reason"),
    [
        ("A1003", LUKAS, Reason.ALREADY_PACKED),
        ("A1004", LUKAS, Reason.ALREADY_SHIPPED),
        ("A1005", EMMA, Reason.ALREADY_DELIVERED),
    ],
)
def test_address_change_refused_after_packing(service, sessions, order_id, email, reason):
    before = stored_address(sessions, order_id)
    berlin = AddressInput("Torstraße 1", "10119", "Berlin", "DE")
    outcome = service.change_shipping_address(order_id, email, berlin)
    assert (outcome.changed, outcome.reason) == (False, reason)
    assert outcome.address.line1 == before[1]
    assert stored_address(sessions, order_id) == before


@pytest.mark.parametrize(
    ("address", "reason", "errors"),
    [
        (AddressInput("  ", "1016 GV", "Amsterdam", "NL"), Reason.INVALID_ADDRESS,
         {"line1": "required"}),
        (AddressInput("Dam 1", "", "", "NL"), Reason.INVALID_ADDRESS,
         {"postcode": "required", "city": "required"}),
        (AddressInput("Dam 1", "ABC", "Amsterdam", "NL"), Reason.INVALID_ADDRESS,
         {"postcode": "invalid_format"}),
        (AddressInput("Dam 1", "1016 SA", "Amsterdam", "NL"), Reason.INVALID_ADDRESS,
         {"postcode": "invalid_format"}),
        (AddressInput("Postbus 123", "1016 GV", "Amsterdam", "NL"), Reason.INVALID_ADDRESS,
         {"line1": "po_box"}),
        (AddressInput("1-1 Chiyoda", "100-0001", "Tokyo", "JP"), Reason.UNSUPPORTED_COUNTRY,
         {"country_code": "unsupported_country"}),
        (AddressInput("Dam 1", "1016 GV", "Amsterdam", ""), Reason.INVALID_ADDRESS,
         {"country_code": "required"}),
    ],
)  # fmt: skip
def test_invalid_addresses_are_refused(service, sessions, address, reason, errors):
    before = stored_address(sessions, "A1002")
    outcome = service.change_shipping_address("A1002", EMMA, address)
    assert (outcome.changed, outcome.reason, dict(outcome.errors)) == (False, reason, errors)
    assert stored_address(sessions, "A1002") == before


def test_moving_an_order_to_another_zone_is_refused(service, sessions):
    before = stored_address(sessions, "A1002")
    outcome = service.change_shipping_address(
        "A1002", EMMA, AddressInput("Torstraße 1", "10119", "Berlin", "DE")
    )
    assert (outcome.changed, outcome.reason) == (False, Reason.DIFFERENT_ZONE)
    assert stored_address(sessions, "A1002") == before


def test_status_refusal_comes_before_validation(service: OrderService):
    outcome = service.change_shipping_address("A1004", LUKAS, AddressInput("", "", "", ""))
    assert outcome.reason is Reason.ALREADY_SHIPPED and not outcome.errors


def test_wrong_email_cannot_change_the_address(service: OrderService, sessions):
    before = stored_address(sessions, "A1002")
    with pytest.raises(VerificationFailed):
        service.change_shipping_address("A1002", LUKAS, AMSTERDAM)
    assert stored_address(sessions, "A1002") == before


@pytest.mark.parametrize(
    ("country", "postcode", "zone"),
    [("uk", "sw1a 1aa", Zone.UK), ("US", "97209-1234", Zone.NA), ("CA", "M5V 2T6", Zone.NA),
     ("BE", "1000", Zone.EU1), ("PL", "00-950", Zone.EU2), ("SE", "114 35", Zone.EU2)],
)  # fmt: skip
def test_validate_address_accepts_real_postcodes(country, postcode, zone):
    check = validate_address(AddressInput("Main Street 1", postcode, "City", country))
    assert check.ok and check.address is not None
    assert check.address.zone is zone
    assert check.address.postcode == postcode.upper()
