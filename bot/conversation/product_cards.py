"""The ``products`` card under a knowledge answer about products.

When the passages an answer rests on include catalogue products ("need a lightweight pot for
backpacking" → the Cairn titanium pot), the web widget shows them as cards: picture, name, price,
stock, a link to the product page and "ask about this". The figures come from the catalogue
(``knowledge_base/products.json``), the same file the shop's pages are built from, so the card
always agrees with the page it links to.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import lru_cache

from bot.commerce.catalogue import Catalogue, load_catalogue
from bot.commerce.errors import CatalogueError
from bot.knowledge.passages import Passage
from bot.messages import ProductsCard, cards

log = logging.getLogger(__name__)

MAX_PRODUCTS = 3


@lru_cache(maxsize=1)
def shop_catalogue() -> Catalogue:
    """The catalogue of the settings' knowledge folder (read once per process)."""
    return load_catalogue()


def product_skus(passages: Iterable[Passage]) -> list[str]:
    """SKUs of the product passages, in order, each once."""
    skus = [p.sku or p.id.removeprefix("product:") for p in passages if p.kind == "product"]
    return list(dict.fromkeys(s for s in skus if s))


def products_card(
    passages: Iterable[Passage], catalogue: Catalogue | None = None, limit: int = MAX_PRODUCTS
) -> ProductsCard | None:
    """The ``products`` card for the products among ``passages`` (at most ``limit``), or None
    when there are none. A product missing from the catalogue is left out; a catalogue that
    cannot be read gives no card (the answer itself never fails for it)."""
    skus = product_skus(passages)
    if not skus:
        return None
    try:
        catalogue = catalogue or shop_catalogue()
    except CatalogueError as error:
        log.error("no product cards: %s", error)
        return None
    products = [product for product in map(catalogue.get, skus) if product is not None][:limit]
    if not products:
        return None
    return cards.products_card([p.card_item() for p in products])
