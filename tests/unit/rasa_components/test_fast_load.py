"""DIET and TED loaded for prediction only (Rasa side; run with .venv-rasa after training): the
shop's trained model, loaded fast and loaded the Rasa way (``FERNHILL_RASA_FAST_LOAD=false``),
gives the same intents, confidences, entities and next-action probabilities."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("rasa", reason="Rasa-side test: run with .venv-rasa/bin/python")

import numpy as np  # noqa: E402
from rasa.core.agent import Agent  # noqa: E402
from rasa.core.policies.ted_policy import TEDPolicy  # noqa: E402
from rasa.nlu.classifiers.diet_classifier import DIETClassifier  # noqa: E402
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered  # noqa: E402
from rasa.shared.core.trackers import DialogueStateTracker  # noqa: E402

from rasa_components.fast_load import (  # noqa: E402
    SETTING,
    FastLoadDIET,
    FastLoadDIETClassifier,
    FastLoadTED,
    FastLoadTEDPolicy,
)

pytestmark = pytest.mark.integration
MODEL = Path(__file__).resolve().parents[3] / "models" / "fernhill.tar.gz"
TEXTS = [
    "hello",
    "where is my order A1004?",
    "i want to return the shoes from order A1012, my email is eva@example.com",
    "do you ship to belgium?",
    "a waterproof jacket under 100 euros",
    "is the Larkspur backpack waterproof?",
    "talk to a human please",
    "this is awful, my parcel is late",
    "cancel my order",
    "delete my data",
    "wat",
    "thanks, bye",
]


def component(agent: Agent, kind: type) -> Any:
    """The loaded graph component of ``kind`` in ``agent``'s model."""
    nodes = agent.processor.graph_runner._instantiated_nodes  # type: ignore[union-attr]
    (found,) = [n._component for n in nodes.values() if isinstance(n._component, kind)]
    return found


async def predictions(agent: Agent) -> list[dict[str, Any]]:
    """Per text: the full intent ranking, the entities, and TED's next-action probabilities
    after it (the first turn, and after an earlier turn)."""
    ted = component(agent, TEDPolicy)
    seen = []
    earlier: list[Any] = []
    for text in TEXTS:
        parsed = await agent.parse_message(text)
        turn = [
            ActionExecuted("action_listen"),
            UserUttered(text, parsed["intent"], parsed["entities"], parse_data=parsed),
        ]
        tracker = DialogueStateTracker.from_events(
            "fast-load", earlier + turn, slots=agent.domain.slots
        )
        earlier = turn + [ActionExecuted("utter_greet"), SlotSet("requested_slot", None)]
        seen.append(
            {
                "ranking": {r["name"]: r["confidence"] for r in parsed["intent_ranking"]},
                "entities": [
                    (e["entity"], e["value"], e.get("extractor")) for e in parsed["entities"]
                ],
                "next": ted.predict_action_probabilities(tracker, agent.domain).probabilities,
            }
        )
    return seen


@pytest.fixture(scope="module")
def loaded() -> tuple[Agent, Agent]:
    assert MODEL.is_file(), f"no trained model at {MODEL}: run scripts/train.sh first"
    fast = Agent.load(str(MODEL))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(SETTING, "false")
        rasa_way = Agent.load(str(MODEL))
    return fast, rasa_way


def test_the_shop_model_uses_the_fast_loading_classes(loaded):
    fast, rasa_way = loaded
    assert isinstance(component(fast, FastLoadDIETClassifier).model, FastLoadDIET)
    assert isinstance(component(fast, FastLoadTEDPolicy).model, FastLoadTED)
    # The same classes in the Rasa way; only how the weights were read differs.
    assert isinstance(component(rasa_way, DIETClassifier).model, FastLoadDIET)


def test_fast_loading_predicts_exactly_what_rasas_loading_does(loaded):
    fast, rasa_way = loaded
    mine_all, theirs_all = asyncio.run(predictions(fast)), asyncio.run(predictions(rasa_way))
    for text, mine, theirs in zip(TEXTS, mine_all, theirs_all, strict=True):
        assert mine["ranking"].keys() == theirs["ranking"].keys(), text
        for intent, confidence in mine["ranking"].items():
            assert confidence == pytest.approx(theirs["ranking"][intent], abs=1e-5), (text, intent)
        assert mine["entities"] == theirs["entities"], text
        np.testing.assert_allclose(mine["next"], theirs["next"], atol=1e-5, err_msg=text)
