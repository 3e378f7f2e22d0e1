"""The shop's real catalogue and BM25 relevance over it, shared by the recommendation tests."""

from __future__ import annotations

import pytest

from bot.commerce.catalogue import Catalogue, load_catalogue
from bot.recommend.search import CatalogueBM25


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    """``knowledge_base/products.json``."""
    return load_catalogue()


@pytest.fixture(scope="session")
def relevance(catalogue: Catalogue) -> CatalogueBM25:
    """BM25 over the catalogue's text."""
    return CatalogueBM25(catalogue)
