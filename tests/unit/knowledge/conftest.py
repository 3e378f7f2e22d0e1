"""A small knowledge base of each kind, built once per session with the real MiniLM."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from bot.knowledge.build import BuildOptions, build_index
from bot.knowledge.embedder import PACKAGED_MODEL, get_embedder

POLICY = """# Returns

Our returns policy in short.

## Return window

You have 30 days from delivery to return an item. Beauty products: 14 days, unopened.

## Refund timing

Refunds are paid within 5 business days after the return reaches the warehouse.
"""

FAQ = """id,question,answer
ship-nl,How much is shipping in the Netherlands?,"Shipping in the Netherlands costs €3.95, free from €50."
pay-methods,Which payment methods do you accept?,"iDEAL, Visa, Mastercard, PayPal and Klarna."
"""

PRODUCTS = [
    {
        "sku": "FH-BA-0001",
        "name": "Larkspur Roll-Top Backpack",
        "category": "Bags",
        "price": 89.0,
        "currency": "EUR",
        "stock": 12,
        "description": "A waterproof roll-top backpack for cycling.",
    },
    {
        "sku": "FH-HK-0002",
        "name": "Oakhurst Cast Iron Skillet",
        "category": "Home",
        "price": 54.95,
        "currency": "EUR",
        "stock": 5,
        "description": "A pre-seasoned cast iron frying pan.",
    },
]


class CountingEmbedder:
    """The real embedder, counting what it is asked to embed."""

    def __init__(self) -> None:
        self.inner = get_embedder(PACKAGED_MODEL)
        self.name = self.inner.name
        self.texts: list[str] = []

    @property
    def dimension(self) -> int:
        return self.inner.dimension

    def encode(self, texts: list[str], *, progress: bool = False) -> np.ndarray:
        self.texts.extend(texts)
        return self.inner.encode(texts, progress=progress)


def make_sources(folder: Path) -> Path:
    """Writes the small knowledge base into ``folder``."""
    (folder / "policies").mkdir(parents=True, exist_ok=True)
    (folder / "policies" / "returns.md").write_text(POLICY, encoding="utf-8")
    (folder / "faq.csv").write_text(FAQ, encoding="utf-8")
    (folder / "products.json").write_text(json.dumps(PRODUCTS), encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def small_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A built index of the small knowledge base (read-only: copy it to change it)."""
    root = tmp_path_factory.mktemp("small-kb")
    sources = make_sources(root / "kb")
    build_index([sources], root / "index", BuildOptions(model=PACKAGED_MODEL))
    return root / "index"


@pytest.fixture()
def workspace(tmp_path: Path, small_index: Path) -> tuple[Path, Path]:
    """A private copy of the small sources and their built index: (sources, index)."""
    sources = make_sources(tmp_path / "kb")
    index = tmp_path / "index"
    shutil.copytree(small_index, index)
    return sources, index
