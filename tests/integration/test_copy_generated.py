"""Product copy written by the real local generator (the small packaged SmolLM2-135M): the draft
is the model's own text, cut to the purpose's length, checked sentence by sentence with the chat
replies' grounding check and saved with its verdicts; the same text checked again gives the same
verdicts. The composed path (model off, failing or slow) has its unit tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from bot.appdata import get_app_engine, upgrade_app_database
from bot.commerce.catalogue import load_catalogue
from bot.generation.generator import TransformersGenerator
from bot.insights.copy import CopyDesk, CopyModel
from bot.insights.copy_check import sentence_spans
from bot.insights.copy_sources import LexicalPolicies
from bot.insights.copy_writer import PURPOSES, CopyRequest
from bot.settings import PROJECT_ROOT, get_settings

pytestmark = pytest.mark.integration
SMALL = "smollm2-135m"
KNOWLEDGE = PROJECT_ROOT / "knowledge_base"
POUCH = "FH-EA-0024"  # Knot Tech Organiser Pouch: "recycled polyester, water-resistant", €19.95
BACKPACK = "FH-BA-0001"  # Larkspur 22L Roll-Top Backpack


@pytest.fixture(scope="module")
def desk() -> CopyDesk:
    # One thread and no sentence limit in the model (the draft is cut to the purpose's sentences
    # afterwards); a generous time limit, so that a busy machine still gets the model's draft.
    model = TransformersGenerator(
        SMALL, get_settings().generator_cache_dir, threads=1, max_sentences=0, quantize="none"
    )
    return CopyDesk(
        load_catalogue(KNOWLEDGE / "products.json"),
        LexicalPolicies.from_folder(KNOWLEDGE),
        CopyModel(model, model.warm_up, wait_s=600),
        time_limit_s=180,
    )


@pytest.fixture()
def session(tmp_path: Path):
    engine = get_app_engine(f"sqlite:///{tmp_path / 'app.db'}")
    upgrade_app_database(engine)
    with Session(engine) as opened:
        yield opened


@pytest.mark.parametrize(("skus", "purpose"), [((POUCH,), "ad_line"), ((BACKPACK,), "newsletter")])
def test_the_model_writes_a_draft_that_is_checked_sentence_by_sentence(
    desk, session, skus, purpose
):
    request = CopyRequest(skus, purpose, "cycling commuters", "playful")

    version = desk.draft(session, request, "ada.admin@fernhill.example").latest

    assert version.method == "generated", version.note
    assert version.note.startswith(f"written by {SMALL} in ")
    assert 0 < len(sentence_spans(version.text)) <= PURPOSES[purpose].sentences
    # Every sentence of the draft has its verdict, where it stands, with reasons when flagged.
    assert [(c["start"], c["end"]) for c in version.claims] == sentence_spans(version.text)
    for claim in version.claims:
        assert version.text[claim["start"] : claim["end"]] == claim["text"]
        assert claim["supported"] or claim["problems"], claim
    assert version.unsupported == sum(not c["supported"] for c in version.claims)
    assert version.grounded == (version.unsupported == 0)

    again = desk.check(skus, version.text)
    assert [c.supported for c in again.claims] == [c["supported"] for c in version.claims]


def test_an_invented_fact_edited_into_the_models_draft_is_flagged_and_kept_in_its_history(
    desk, session
):
    draft = desk.draft(session, CopyRequest((POUCH,), "ad_line"), "ada.admin@fernhill.example")
    assert draft.latest.method == "generated", draft.latest.note

    edited = draft.latest.text.rstrip() + " It is fully waterproof."
    history = desk.edit(session, draft.id, edited, "ada.admin@fernhill.example")

    version = history.latest
    flagged = [c for c in version.claims if not c["supported"]]
    assert not version.grounded and [c["text"] for c in flagged][-1] == "It is fully waterproof."
    assert flagged[-1]["problems"]
    assert [v.text for v in history.versions] == [draft.latest.text, edited]
