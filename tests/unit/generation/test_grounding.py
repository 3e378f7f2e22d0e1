"""The grounding check: each claim of a reply needs a passage sentence that states it, with the
same facts (in any spelling), polarity and scope."""

from __future__ import annotations

import pytest

from bot.generation.facts import extract_facts, number_value
from bot.generation.grounding import check_grounding

pytestmark = pytest.mark.unit

SHIPPING = (
    "Standard shipping in the Netherlands costs €3.95 with PostNL and takes 1–2 business days. "
    "It is free for orders from €50. Express costs €14.95."
)
CONTACT = (
    "Call Fernhill Goods on +31 30 555 0142, Monday–Friday 09:00–18:00 CET. E-mail "
    "support@fernhill-goods.example. Closed on King's Day, 27 April. See "
    "https://fernhill-goods.example/help/contact. Newsletter subscribers get 10% off."
)


@pytest.mark.parametrize(
    "reply",
    [
        "Shipping in the Netherlands is €3.95 and it's free from €50.",
        "It costs 3.95 EUR, and 3,95 € is the same; free from 50 euros.",
        "Express shipping costs EUR 14.95.",
        "Delivery takes two business days at most.",
    ],
)
def test_amounts_in_any_spelling_are_supported(reply):
    assert check_grounding(reply, [SHIPPING]).grounded, check_grounding(
        reply, [SHIPPING]
    ).unsupported


@pytest.mark.parametrize(
    "reply",
    [
        "Shipping costs €4.95.",
        "It is free for orders from €60.",
        "Delivery takes 3 business days.",
        "You get 15% off.",
        "It takes five days.",
        # Each fact is in the passage, but the time is standard shipping's, not express's.
        "Express shipping costs EUR 14.95 and arrives in one to two business days.",
    ],
)
def test_invented_amounts_and_numbers_fail(reply):
    result = check_grounding(reply, [SHIPPING])
    assert not result.grounded and "fact" in {k for k, _ in result.unsupported}, result.unsupported


@pytest.mark.parametrize(
    "reply",
    [
        "You can call us on +31 30 555 0142.",
        "Call 030-5550142 between 9 am and 6 pm.",
        "Write to support@fernhill-goods.example or see fernhill-goods.example/help/contact.",
        "We are closed on April 27th.",
        "Subscribers get 10 percent off.",
        "You can call from 09:00 to 18:00 CET.",
    ],
)
def test_contact_details_dates_and_times_in_any_spelling_are_supported(reply):
    result = check_grounding(reply, [CONTACT])
    assert result.grounded, result.unsupported


@pytest.mark.parametrize(
    ("reply", "kind"),
    [
        ("Call us on +31 20 123 4567.", "fact"),
        ("Write to help@fernhill-goods.example.", "fact"),
        ("See https://fernhill.com/contact for details.", "fact"),
        ("We are closed on 28 April.", "fact"),
        ("Our agents work until 8 pm.", "fact"),
        ("Subscribers get a voucher.", "promise"),
        ("As stated in my instructions, call us.", "meta"),
    ],
)
def test_invented_contact_details_dates_and_promises_fail(reply, kind):
    result = check_grounding(reply, [CONTACT])
    assert not result.grounded and kind in {k for k, _ in result.unsupported}, result.unsupported


def test_products_named_in_a_reply_must_be_in_the_passages():
    names = ["Larkspur 22L Roll-Top Backpack", "Heron Rain Jacket"]
    passage = "Larkspur 22L Roll-Top Backpack: a waterproof roll-top backpack, €89.00."
    assert check_grounding(
        "The Larkspur 22L Roll-Top Backpack is waterproof.", [passage], names
    ).grounded
    result = check_grounding("Try the Heron Rain Jacket too.", [passage], names)
    assert ("product", "Heron Rain Jacket") in result.unsupported


def test_a_reply_must_state_something_from_the_passages():
    assert not check_grounding("How much does shipping cost?", [SHIPPING]).grounded
    assert not check_grounding("Shopper's mood: neutral.", [SHIPPING]).grounded
    assert not check_grounding("Hello there, nice weather.", [SHIPPING]).grounded


def test_number_values_normalise():
    assert (
        number_value("89.00") == "89"
        and number_value("1,000") == "1000"
        and number_value("4,95") == "4.95"
    )
    facts = extract_facts("€4.95, 4.95 EUR, 21% VAT, 2026-04-27, FH-BA-0001")
    assert facts.money == {"4.95"} and facts.percents == {"21"} and "4-27" in facts.dates
    assert facts.skus == {"FH-BA-0001"}


def test_words_about_the_prompt_are_fine_when_a_passage_says_them():
    passage = "An agent sees the conversation so far and answers within 5 minutes."
    assert check_grounding("The agent sees the conversation so far.", [passage]).grounded
    assert not check_grounding("See the conversation so far.", [SHIPPING]).grounded


def test_list_markers_are_not_facts_but_numbers_from_the_question_are_checked():
    assert check_grounding(
        "Steps:\n1. Start the return under Account.\n2. Print the label.",
        ["Start the return under Account, then print the label."],
    ).grounded
    # Repeating the shopper's number would confirm a premise the passages do not support.
    reply = "Yes, you can return shoes after 60 days."
    assert not check_grounding(reply, ["You have 30 days from delivery to return shoes."]).grounded


def test_invented_names_fail_and_names_from_the_passages_or_question_pass():
    passage = "Fernhill Goods is a company in Utrecht, the Netherlands."
    result = check_grounding("The CEO of Fernhill Goods is John Doe.", [passage])
    assert not result.grounded and "John, Doe" in result.claims[0].reason
    assert check_grounding("Our office is in Utrecht.", [passage]).grounded
    assert check_grounding(
        "We ship from Utrecht to Munich.",
        [passage + " We ship from Utrecht to Germany."],
        question="ship to Munich?",
    ).grounded


def test_carriers_and_other_acronyms_must_be_in_the_passages():
    passage = "| EU1 | Belgium, Germany, Luxembourg, France | DHL |\nThe Netherlands: PostNL, 1–2 business days."
    assert check_grounding("Deliveries to France go with DHL.", [passage]).grounded
    assert check_grounding("In the Netherlands we ship with PostNL.", [passage]).grounded
    result = check_grounding("Deliveries to France go with UPS.", [passage])
    assert [c.reason for c in result.claims] == ["UPS: in no passage"]
    assert (
        "GLS" in check_grounding("In the Netherlands we ship with GLS.", [passage]).claims[0].reason
    )
    table = "| Zone | Countries | Carrier |\n|---|---|---|\n| EU1 | France, Germany | DHL |\n| NA | USA, Canada | UPS |"
    assert check_grounding("UPS is the carrier for the USA.", [table]).grounded
    # A name at the start of a sentence is checked, and must stand in the same row or sentence.
    assert not check_grounding("UPS is the carrier for France.", [table]).grounded


PAYMENTS = (
    "Payments > Accepted payment methods\nWe accept iDEAL, PayPal, Klarna and credit cards. "
    "We don't accept cash on delivery or cheques."
)
EXPRESS_BE = (
    "What does express shipping to Belgium cost?\n"
    "Express shipping to Belgium costs €14.95 and arrives in 1–2 business days with DHL."
)
PRICES = (
    "Shipping > Standard shipping times and prices\n| Zone | Standard delivery time | Standard shipping price |\n"
    "|---|---|---|\n| NL | 1–2 business days | €3.95 |\n| EU1 (BE, DE, LU, FR) | 2–4 business days | €6.95 |"
)
ZONES = (
    "Shipping > Zones and carriers\n| Zone | Countries | Carrier |\n|---|---|---|\n"
    "| EU1 | Belgium, Germany, Luxembourg, France | DHL |\n| NA | United States, Canada | UPS |"
)
FREE = (
    "Do you offer free shipping?\nYes: free standard shipping from €50 in the Netherlands. "
    "Orders to the USA and Canada never ship free."
)
RETURNS = "Returns > Return window\nYou have 30 days from delivery to return an item."
ALDER = (
    "Alder 30L Daypack (FH-BA-0009).\nPrice: €79.00.\n"
    "Material: nylon with PU coating, water-resistant, not waterproof."
)


@pytest.mark.parametrize(
    ("reply", "passages"),
    [
        ("We accept cash on delivery and cheques.", [PAYMENTS]),
        ("Express delivery to Belgium costs €3.95.", [EXPRESS_BE, PRICES]),
        ("Standard shipping to Belgium costs €14.95.", [EXPRESS_BE, PRICES]),
        ("Returns cost €30.", [RETURNS]),
        ("Express delivery to Belgium costs 14.95 dollars.", [EXPRESS_BE]),
        ("UPS delivers to Belgium.", [ZONES, EXPRESS_BE]),
        ("Orders to the USA ship free.", [FREE]),
        ("Shipping in the Netherlands is free.", [FREE]),
        ("The Alder backpack is fully waterproof.", [ALDER]),
        ("You can return an item within 30 weeks.", [RETURNS]),
        (
            "Yes, you can request it to be reserved. We do not offer reservations.",
            ["Reservations\nWe do not offer reservations."],
        ),
    ],
)
def test_replies_that_contradict_or_stretch_their_passage_fail(reply, passages):
    assert not check_grounding(reply, passages).grounded


@pytest.mark.parametrize(
    ("reply", "passages"),
    [
        ("We accept PayPal and Klarna, but not cheques.", [PAYMENTS]),
        ("Express delivery to Belgium costs €14.95.", [EXPRESS_BE, PRICES]),
        (
            "Standard shipping to Belgium costs €6.95 and takes 2–4 business days.",
            [EXPRESS_BE, PRICES],
        ),
        ("You have 30 days to return an item.", [RETURNS]),
        ("DHL delivers to Belgium.", [ZONES, EXPRESS_BE]),
        ("Orders to the USA and Canada never ship free.", [FREE]),
        ("Shipping in the Netherlands is free from €50.", [FREE]),
        ("The Alder daypack is water-resistant, but not waterproof.", [ALDER]),
    ],
)
def test_faithful_replies_pass(reply, passages):
    result = check_grounding(reply, passages)
    assert result.grounded, result.unsupported


def test_a_bare_yes_or_no_is_read_as_the_answer_to_the_question():
    assert not check_grounding(
        "Yes.", [PAYMENTS], require_statement=False, question="do you accept cheques?"
    ).grounded
    assert check_grounding(
        "No, we don't accept cheques.", [PAYMENTS], question="do you accept cheques?"
    ).grounded


def test_a_denial_of_the_claims_rarest_word_is_found_beyond_the_closest_sentence():
    faq = (
        "Can you deliver to a P.O. box?\nNo, we don't ship to P.O. boxes. Please use a street address, "
        "such as your home or work address."
    )
    section = (
        "Shipping > Delivery addresses\nFernhill Goods delivers to street addresses only. We do not ship "
        "to P.O. boxes (postbus addresses), BFPO addresses or freight-forwarding warehouses."
    )
    assert not check_grounding(
        "Yes, you can use your postbus address for delivery.",
        [faq, section],
        question="can i use my postbus address for delivery",
    ).grounded
    assert check_grounding(
        "Please use a street address, such as your home or work address.", [faq, section]
    ).grounded


def test_out_of_stock_denies_in_stock():
    record = (
        "Oakhurst Enamelled Dutch Oven 24 cm (FH-HK-0003).\nPrice: €139.00.\n"
        "Out of stock: it cannot be ordered right now.\nColour: terracotta."
    )
    assert not check_grounding("The enamelled Dutch Oven is in stock.", [record]).grounded
    assert check_grounding(
        "The Oakhurst Enamelled Dutch Oven is out of stock right now.", [record]
    ).grounded


def test_a_list_lead_in_is_not_denied_by_a_sentence_about_something_else():
    passage = (
        "Payments > Accepted payment methods\nFernhill Goods accepts:\n\n- iDEAL;\n- PayPal;\n\n"
        "We don't accept cash on delivery or cheques."
    )
    assert check_grounding(
        "Fernhill Goods accepts:\n- PayPal;", [passage], require_statement=False
    ).grounded
