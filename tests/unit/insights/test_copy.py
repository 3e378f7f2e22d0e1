"""Product copy: the evidence of a draft, the claim-by-claim check placed on its sentences, the
draft composed from the catalogue data when the generator is off, fails or is too slow, and the
saved history with its export. On the shop's own catalogue and knowledge folder."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy.orm import Session

from bot.appdata import upgrade_app_database
from bot.commerce.catalogue import load_catalogue
from bot.generation.generator import Generation, TransformersGenerator
from bot.insights.copy import CopyDesk, CopyModel
from bot.insights.copy_check import check_copy, sentence_spans
from bot.insights.copy_sources import (
    IndexPolicies,
    LexicalPolicies,
    RetrieverPolicies,
    product_evidence,
    search_products,
)
from bot.insights.copy_store import draft_view, export_draft
from bot.insights.copy_writer import (
    CopyInvalid,
    CopyRequest,
    compose_copy,
    first_sentences,
    write_copy,
)
from bot.settings import PROJECT_ROOT

pytestmark = pytest.mark.unit
KNOWLEDGE = PROJECT_ROOT / "knowledge_base"
POUCH = "FH-EA-0024"  # Knot Tech Organiser Pouch: "recycled polyester, water-resistant", €19.95
BACKPACK = "FH-BA-0001"  # Larkspur 22L Roll-Top Backpack: waterproof, €89.00
EARRINGS = "FH-BA-0024"  # Clover Gold-Plated Hoop Earrings: final sale


@pytest.fixture(scope="module")
def desk() -> CopyDesk:
    return CopyDesk(
        load_catalogue(KNOWLEDGE / "products.json"),
        LexicalPolicies.from_folder(KNOWLEDGE),
        CopyModel(None),
    )


@pytest.fixture()
def session(app_engine):
    upgrade_app_database(app_engine)
    with Session(app_engine) as opened:
        yield opened


def test_an_invented_property_is_flagged_where_it_stands(desk):
    text = (
        "The Knot Tech Organiser Pouch opens flat like a book, so everything is visible at once. "
        "The pouch is fully waterproof."
    )
    check = desk.check([POUCH], text)

    assert not check.grounded and check.unsupported == 1
    faithful, invented = check.claims
    assert faithful.supported and faithful.problems == []
    assert not invented.supported
    assert text[invented.start : invented.end] == "The pouch is fully waterproof."
    assert {p.kind for p in invented.problems} == {"scope", "property"}
    assert any("waterproof" in p.reason for p in invented.problems)


def test_a_faithful_draft_passes(desk):
    text = (
        "The Knot Tech Organiser Pouch is made of water-resistant recycled polyester. "
        "It opens flat like a book, so everything is visible at once. "
        "Knot Tech Organiser Pouch, €19.95."
    )
    check = desk.check([POUCH], text)
    assert check.grounded and [c.supported for c in check.claims] == [True, True, True]


def test_a_wrong_price_and_another_product_are_flagged(desk):
    check = desk.check(
        [POUCH],
        "Knot Tech Organiser Pouch, €24.95. Pair it with the Larkspur 22L Roll-Top Backpack.",
    )
    price, other = check.claims
    assert [p.kind for p in price.problems] == ["fact"] and "€24.95" in price.problems[0].reason
    assert any(p.kind == "product" for p in other.problems)


def test_policy_facts_are_evidence_too(desk):
    claim = "Free standard shipping applies automatically from €50 in the Netherlands."
    with_policies = desk.check([BACKPACK], claim)
    product_only = check_copy(claim, [product_evidence(desk.products([BACKPACK])[0])])
    assert with_policies.grounded and not product_only.grounded


def test_policies_follow_the_product(desk):
    earrings = [e.id for e in desk.policies.passages_for(desk.products([EARRINGS]))]
    backpack = [e.id for e in desk.policies.passages_for(desk.products([BACKPACK]))]
    assert "returns-and-refunds#final-sale-items" in earrings
    assert "returns-and-refunds#final-sale-items" not in backpack
    assert "shipping#free-shipping-thresholds" in backpack


@pytest.mark.parametrize("purpose", ["product_page", "newsletter", "social_post", "ad_line"])
def test_a_composed_draft_is_marked_and_grounded(desk, session, purpose):
    request = CopyRequest((BACKPACK, POUCH), purpose, "cycling commuters", "playful")

    draft = desk.draft(session, request, "ada.admin@fernhill.example")

    version = draft.latest
    assert version.method == "composed" and "generator is switched off" in version.note
    assert version.grounded and version.claims
    assert "Larkspur 22L Roll-Top Backpack" in version.text


def test_the_b_variant_opens_differently():
    product = load_catalogue(KNOWLEDGE / "products.json").get(POUCH)
    assert product is not None
    first = compose_copy(CopyRequest((POUCH,), "social_post"), [product], "off")
    second = compose_copy(CopyRequest((POUCH,), "social_post", variant="B"), [product], "off")
    assert first.text != second.text


def test_a_model_that_cannot_load_gives_a_composed_draft_that_says_why(desk, session, tmp_path):
    broken = TransformersGenerator(str(tmp_path / "no-model-here"), tmp_path)
    failing = CopyDesk(desk.catalogue, desk.policies, CopyModel(broken, broken.warm_up, wait_s=30))

    draft = failing.draft(session, CopyRequest((POUCH,), "ad_line"), "ada.admin@fernhill.example")

    assert draft.latest.method == "composed"
    assert "failed to load" in draft.latest.note


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: CopyRequest((), "ad_line"), "choose 1 to 5 products"),
        (lambda: CopyRequest(("A",) * 2, "ad_line"), "chosen twice"),
        (lambda: CopyRequest(("A", "B", "C", "D", "E", "F"), "ad_line"), "choose 1 to 5"),
        (lambda: CopyRequest(("A",), "poem"), "purpose must be one of"),
        (lambda: CopyRequest(("A",), "ad_line", tone="angry"), "tone must be one of"),
        (lambda: CopyRequest(("A",), "ad_line", audience="  "), "audience needs"),
    ],
)
def test_a_bad_request_says_what_is_wrong(make, message):
    with pytest.raises(CopyInvalid, match=message):
        make()


def test_unknown_products_and_empty_texts_are_refused(desk):
    with pytest.raises(CopyInvalid, match="not in the catalogue: FH-XX-9999"):
        desk.products([POUCH, "FH-XX-9999"])
    with pytest.raises(ValueError, match="the draft is empty"):
        desk.check([POUCH], "   ")


def test_edits_are_checked_and_kept_with_the_history_and_export(desk, session):
    draft = desk.draft(session, CopyRequest((POUCH,), "social_post"), "ada.admin@fernhill.example")
    edited = f"{draft.latest.text} It is fully waterproof."

    saved = desk.edit(session, draft.id, edited, "ben.admin@fernhill.example")
    session.commit()

    again = draft_view(session, draft.id)
    assert [(v.number, v.method, v.grounded) for v in again.versions] == [
        (1, "composed", True),
        (2, "edited", False),
    ]
    assert saved.latest.author == "ben.admin@fernhill.example" and saved.latest.unsupported == 1
    rows = list(csv.DictReader(io.StringIO(export_draft(again, "csv"))))
    assert [r["version"] for r in rows] == ["1", "2"]
    assert rows[1]["flagged"] == "It is fully waterproof." and rows[1]["grounded"] == "False"
    data = json.loads(export_draft(again, "json"))
    assert data["versions"][1]["claims"][-1]["supported"] is False
    text = export_draft(again, "txt")
    assert text.startswith("social media post for shoppers of Fernhill Goods")
    assert "--- version 2: edited by ben.admin@fernhill.example" in text and "1 flagged" in text


def test_sentences_keep_their_offsets():
    text = "One line.\nTwo! Three?  Four"
    assert [text[a:b] for a, b in sentence_spans(text)] == ["One line.", "Two!", "Three?", "Four"]


def test_the_model_reply_is_cut_to_the_purpose():
    reply = "Title: Meet the pouch. It opens flat. It is slim.\n#tech #travel"
    assert first_sentences(reply, 2) == "Meet the pouch. It opens flat."


def test_the_search_finds_by_words_and_sku(desk):
    assert search_products(desk.catalogue, "organiser pouch")[0].sku == POUCH
    assert [p.sku for p in search_products(desk.catalogue, POUCH.lower())] == [POUCH]
    assert search_products(desk.catalogue, "no such thing anywhere") == []


def test_without_the_knowledge_index_the_policies_come_from_the_folder(desk, tmp_path):
    from bot.knowledge.service import load_retriever

    policies = IndexPolicies(lambda: load_retriever(tmp_path / "no-index"), KNOWLEDGE)

    found = [e.id for e in policies.passages_for(desk.products([EARRINGS]))]

    assert "returns-and-refunds#final-sale-items" in found


@pytest.mark.integration
@pytest.mark.slow
def test_the_knowledge_index_finds_the_policies_of_a_product(desk):
    """With the shop's own index (var/index) and MiniLM, loaded once with the gap tests."""
    from tests.unit.insights.test_gaps import retriever

    policies = RetrieverPolicies(retriever())

    earrings = [e.id for e in policies.passages_for(desk.products([EARRINGS]))]
    backpack = [e.id for e in policies.passages_for(desk.products([BACKPACK]))]

    assert earrings[:2] == [
        "shipping#free-shipping-thresholds",
        "returns-and-refunds#final-sale-items",
    ]
    assert backpack[:2] == [
        "shipping#free-shipping-thresholds",
        "returns-and-refunds#return-window",
    ]


class _Scripted:
    """A generator that writes a given text (what the model wrote is the point, not the model)."""

    name = "scripted"

    def __init__(self, text: str, new_tokens: int, timed_out: bool = False) -> None:
        self.made = Generation(text, new_tokens, 0.5, timed_out=timed_out)

    def generate(self, messages, *, max_new_tokens, time_limit_s):
        return self.made


@pytest.mark.parametrize(
    ("made", "method", "note"),
    [
        (_Scripted("Slim, light, ready to ride", 12), "generated", "written by scripted"),
        (
            _Scripted("Pouch, Backpack (FH-BA-0001) [5] Backpack (FH-BA-000", 32),
            "composed",
            "no finished sentence",
        ),
        (_Scripted("Meet the pouch. It opens fl", 20, timed_out=True), "generated", "written by"),
        (_Scripted("Meet the pouch and its", 20, timed_out=True), "composed", "took over"),
    ],
)
def test_a_fragment_the_model_left_unfinished_is_not_a_draft(desk, made, method, note):
    product = desk.catalogue.get(POUCH)
    request = CopyRequest((POUCH,), "ad_line")

    written = write_copy(request, [product], desk.evidence([product]), made)

    assert written.method == method and note in written.note
