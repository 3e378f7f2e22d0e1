"""Query normalisation: spelling correction against the index's words and shop synonyms."""

from __future__ import annotations

import pytest

from bot.knowledge.normalize import SHOP_SYNONYMS, QueryNormalizer, edit_distance, model_words

pytestmark = pytest.mark.unit

TEXTS = [
    "How long does delivery to Germany take? Standard delivery takes 2-4 business days.",
    "Returns: you have 30 days to return an item. The refund is paid within 5 days.",
    "Which payment methods do you accept? iDEAL, Visa, Mastercard, PayPal and Klarna.",
    "Track your parcel with the tracking link. Order status pending means not paid yet.",
]


@pytest.fixture()
def normalizer() -> QueryNormalizer:
    return QueryNormalizer(TEXTS, known_words={"dad", "birthday", "pancakes", "bake", "baked"})


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("long", "long", 0),
        ("lnog", "long", 1),
        ("germny", "germany", 1),
        ("delivrey", "delivery", 1),
        ("refnud", "refund", 1),
        ("paypal", "pay", 3),
        ("kitten", "sitting", 3),
        ("parcell", "parcel", 1),
    ],
)
def test_edit_distance_counts_a_swap_of_neighbours_as_one(a, b, distance):
    assert edit_distance(a, b, limit=2) == min(distance, 3)


def test_edit_distance_stops_above_the_limit():
    assert edit_distance("abcdefgh", "zyxwvuts", limit=1) == 2
    assert edit_distance("a", "abcdef", limit=2) == 3


def test_misspelt_words_become_the_index_words(normalizer):
    result = normalizer("how lnog does delivrey take to germny")
    assert result.text == "how long does delivery take to germany"
    assert result.corrections == (("lnog", "long"), ("delivrey", "delivery"), ("germny", "germany"))
    assert (
        normalizer("wen will i get my refnud").text == "wen will i get my refund"
    )  # "wen": too short
    assert normalizer("ordr pendng").text == "order pending"


def test_known_words_short_words_and_contractions_are_left_alone(normalizer):
    for question in (
        "my dad's birthday",
        "recipe for pancakes",
        "how do I bake bread",
        "whats the status",
        "i dont know",
        "Track my parcel",
    ):
        assert normalizer(question).text == question
        assert normalizer(question).corrections == ()
    # An inflection of a known word counts as known ("baking" is not in the texts).
    assert normalizer("baking tips").corrections == ()


def test_a_word_far_from_every_index_word_is_kept(normalizer):
    assert normalizer("zyxwvut refund").text == "zyxwvut refund"


def test_synonyms_are_added_for_bm25_not_to_the_embedded_text(normalizer):
    result = normalizer("how do I get my money back for a parcel sent to Holland")
    assert result.text == "how do I get my money back for a parcel sent to Holland"
    assert result.expanded.startswith(result.text + " ")
    added = result.expanded[len(result.text) :].split()
    assert {"refund", "package", "netherlands"} <= set(added)
    assert normalizer("plain words only").expanded == "plain words only"


def test_synonyms_and_spelling_can_be_switched_off():
    plain = QueryNormalizer(TEXTS, synonyms={}, spelling=False)
    result = plain("money back for my parcle")
    assert result.text == result.expanded == "money back for my parcle"
    custom = QueryNormalizer(TEXTS, synonyms={"dosh": "money payment"})
    assert custom("no dosh").expanded == "no dosh money payment"


def test_whitespace_is_collapsed_and_case_kept_where_unchanged(normalizer):
    assert normalizer("  Track   my\tparcell  ").text == "Track my parcel"


def test_the_shop_synonyms_map_shoppers_words_to_the_shops():
    assert "refund" in SHOP_SYNONYMS["money back"] and "return" in SHOP_SYNONYMS["send back"]
    assert "sneakers" in SHOP_SYNONYMS["trainers"] and "package" in SHOP_SYNONYMS["parcel"]


def test_model_words_reads_whole_lowercase_words_of_a_vocab_file(tmp_path):
    (tmp_path / "vocab.txt").write_text(
        "[PAD]\n##ing\nparcel\nParis\nrefund\n2024\n", encoding="utf-8"
    )
    assert model_words(tmp_path) == frozenset({"parcel", "refund"})
    assert model_words(tmp_path / "missing") == frozenset()
