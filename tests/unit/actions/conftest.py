"""Action tests run the real actions with real rasa_sdk trackers against a real seeded SQLite shop."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.commerce import OrderService, get_engine, get_sessionmaker, seed_database
from bot.commerce import shared as services
from bot.generation import service as generation_service
from bot.knowledge import service
from bot.knowledge.holder import Holder
from bot.knowledge.passages import Passage
from bot.knowledge.retrieve import RetrievedPassage
from devtools.demo import DemoOrder, demo_orders
from devtools.servers import ROOT


def load_domain() -> dict[str, Any]:
    """The domain files merged into one dict, as Rasa sends it to the action server."""
    merged: dict[str, Any] = {}
    for path in sorted((ROOT / "domain").glob("*.yml")):
        for key, value in (yaml.safe_load(path.read_text()) or {}).items():
            if isinstance(value, dict):
                merged.setdefault(key, {}).update(value)
            elif isinstance(value, list):
                merged.setdefault(key, []).extend(value)
    return merged


DOMAIN = load_domain()


@pytest.fixture(scope="session")
def seeded_shop_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("seeded") / "shop.db"
    engine = get_engine(f"sqlite:///{path}")
    seed_database(engine)
    engine.dispose()
    return path


@pytest.fixture()
def shop_url(seeded_shop_file: Path, tmp_path: Path) -> Iterator[str]:
    """A private copy of the seeded shop, used by the actions' order service."""
    copy = tmp_path / "shop.db"
    shutil.copy(seeded_shop_file, copy)
    url = f"sqlite:///{copy}"
    previous = services._service
    services._service = OrderService(get_sessionmaker(get_engine(url)))
    yield url
    services._service = previous
    get_engine(url).dispose()


@pytest.fixture(autouse=True)
def handoff_database(tmp_path: Path) -> Iterator[str]:
    """Handoffs queued by the actions go to a private app database, never var/app.db."""
    from bot.appdata import get_app_engine, get_app_sessionmaker, upgrade_app_database
    from bot.handoff.queue import use_sessions

    url = f"sqlite:///{tmp_path / 'app.db'}"
    engine = get_app_engine(url)
    upgrade_app_database(engine)
    use_sessions(get_app_sessionmaker(engine))
    yield url
    use_sessions(None)
    engine.dispose()


@pytest.fixture()
def demo(shop_url: str) -> dict[str, DemoOrder]:
    return demo_orders(shop_url)


def make_tracker(
    *,
    text: str = "",
    intent: str = "track_order",
    entities: list[dict] | None = None,
    slots: dict[str, Any] | None = None,
    active_loop: str | None = None,
    ranking: list[dict] | None = None,
    just_set: dict[str, Any] | None = None,
) -> Tracker:
    """A tracker as Rasa sends it: every domain slot, the latest message, the active loop.

    ``just_set`` are slot candidates Rasa extracted from the latest message: they end the
    event list, which is where a form's validation looks for them.
    """
    all_slots = {name: spec.get("initial_value") for name, spec in DOMAIN["slots"].items()}
    all_slots.update({"requested_slot": None, **(slots or {}), **(just_set or {})})
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.9},
        "entities": entities or [],
        "intent_ranking": ranking or [{"name": intent, "confidence": 0.9}],
    }
    events = [{"event": "user", "text": text, "parse_data": latest}]
    events += [{"event": "slot", "name": k, "value": v} for k, v in (just_set or {}).items()]
    return Tracker(
        sender_id="unit-test",
        slots=all_slots,
        latest_message=latest,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


@pytest.fixture()
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


class RecordingRetriever:
    """Answers every question with one passage (or none) and remembers the questions."""

    def __init__(self, passage: Passage | None, confidence: float = 0.7) -> None:
        self.passage = passage
        self.confidence = confidence
        self.queries: list[str] = []

    def retrieve(self, query: str, k: int = 5) -> list[RetrievedPassage]:
        self.queries.append(query)
        return (
            [RetrievedPassage(self.passage, 0.8, 0.7, 0.5, self.confidence)] if self.passage else []
        )


@pytest.fixture()
def knowledge(monkeypatch):
    """Puts a recording retriever behind the process-wide holder the action uses."""
    gaps: list[tuple] = []

    def install(passage: Passage | None, confidence: float = 0.7) -> RecordingRetriever:
        retriever = RecordingRetriever(passage, confidence)
        monkeypatch.setattr(service, "get_holder", lambda: Holder(lambda: retriever))
        # Extractive answers here; the real generator is tested in tests/unit/generation and
        # tests/integration (SmolLM2). Knowledge gaps go to a list, not var/app.db.
        monkeypatch.setattr(generation_service, "current_generator", lambda: None)
        monkeypatch.setattr(generation_service, "record_gap", lambda *args: gaps.append(args))
        return retriever

    install.gaps = gaps  # type: ignore[attr-defined]
    return install
