import pytest

from bot.conversation.addresses import AddressParseError, parse_address

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Oudegracht 12, 3511 AB Utrecht, Netherlands",
            ("Oudegracht 12", "3511 AB", "Utrecht", "NL"),
        ),
        ("221B Baker Street, London NW1 6XE, UK", ("221B Baker Street", "NW1 6XE", "London", "GB")),
        ("Hauptstr. 5\n10115 Berlin\nGermany", ("Hauptstr. 5", "10115", "Berlin", "DE")),
        ("12 rue de Rivoli, 75001 paris, france", ("12 rue de Rivoli", "75001", "Paris", "FR")),
    ],
)
def test_parses_one_line_addresses(text, expected):
    parsed = parse_address(text)
    assert (parsed.line1, parsed.postcode, parsed.city, parsed.country) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("Oudegracht 12", "separated by commas"),
        ("Oudegracht 12, 3511 AB Utrecht, Narnia", "Narnia"),
        ("Oudegracht, 3511 AB Utrecht, NL", "house number"),
        ("Oudegracht 12, Utrecht, NL", "postcode"),
    ],
)
def test_unreadable_addresses_say_what_is_wrong(text, fragment):
    with pytest.raises(AddressParseError, match=fragment):
        parse_address(text)
