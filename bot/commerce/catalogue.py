"""The product catalogue: ``knowledge_base/products.json`` read into typed, validated objects.

The file is a JSON list of objects with the keys ``sku``, ``name``, ``category``,
``subcategory``, ``price``, ``currency``, ``stock``, ``attributes``, ``description``, ``image``,
``final_sale`` and ``tags``. Prices are read as exact decimals. A bad record raises
:class:`~bot.commerce.errors.CatalogueError` naming the file, the record's index and the field.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any

from bot.commerce.errors import CatalogueError
from bot.messages import cards
from bot.messages.cards import ProductItem
from bot.settings import get_settings

CATALOGUE_FILE = "products.json"
SHOP_CURRENCY = "EUR"
_REQUIRED = ("sku", "name", "category", "price", "currency", "stock")


@dataclass(frozen=True)
class CatalogueProduct:
    """One product of the catalogue."""

    sku: str
    name: str
    category: str
    price: Decimal
    currency: str
    stock: int
    subcategory: str | None = None
    attributes: Mapping[str, Any] = field(default_factory=dict)
    description: str = ""
    image: str | None = None
    final_sale: bool = False
    tags: tuple[str, ...] = ()

    def card_item(self) -> ProductItem:
        """This product as the widget's ``products`` card shows it (links relative to the web app)."""
        return cards.product_item(
            sku=self.sku,
            name=self.name,
            price=self.price,
            currency=self.currency,
            stock=self.stock,
            image=f"/images/products/{self.sku}.svg",
            url=f"/products/{self.sku}",
        )


@dataclass(frozen=True)
class Catalogue:
    """All products of the catalogue, in file order, with lookup by SKU."""

    path: Path
    products: tuple[CatalogueProduct, ...]
    _by_sku: Mapping[str, CatalogueProduct] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # A frozen dataclass sets derived fields through object.__setattr__.
        object.__setattr__(self, "_by_sku", MappingProxyType({p.sku: p for p in self.products}))

    def __len__(self) -> int:
        return len(self.products)

    def __iter__(self) -> Iterator[CatalogueProduct]:
        return iter(self.products)

    def get(self, sku: str) -> CatalogueProduct | None:
        """Returns the product with this SKU, or ``None``."""
        return self._by_sku.get(sku)

    def categories(self) -> list[str]:
        """The distinct categories, sorted."""
        return sorted({p.category for p in self.products})


def default_catalogue_path() -> Path:
    """``<settings.knowledge_dir>/products.json``."""
    return Path(get_settings().knowledge_dir) / CATALOGUE_FILE


def load_catalogue(path: Path | str | None = None) -> Catalogue:
    """Reads and validates the catalogue file.

    Args:
        path: The JSON file; ``None`` means ``<settings.knowledge_dir>/products.json``.

    Returns:
        The catalogue.

    Raises:
        CatalogueError: The file is missing or not JSON, or a record is invalid (the message
            names the file, the record index and the field).
    """
    file = Path(path) if path is not None else default_catalogue_path()
    try:
        with file.open(encoding="utf-8") as handle:
            data = json.load(handle, parse_float=Decimal)
    except FileNotFoundError as exc:
        raise CatalogueError(file, "catalogue file not found") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CatalogueError(file, f"cannot read catalogue: {exc}") from exc
    if not isinstance(data, list):
        raise CatalogueError(file, f"expected a JSON list of products, got {type(data).__name__}")
    products: list[CatalogueProduct] = []
    seen: dict[str, int] = {}
    for index, record in enumerate(data):
        product = _parse_record(file, index, record)
        if product.sku in seen:
            raise CatalogueError(
                file, f"duplicate sku {product.sku!r} (first at record {seen[product.sku]})", index
            )
        seen[product.sku] = index
        products.append(product)
    if not products:
        raise CatalogueError(file, "the catalogue is empty")
    return Catalogue(path=file, products=tuple(products))


def _parse_record(file: Path, index: int, record: Any) -> CatalogueProduct:
    def fail(message: str) -> CatalogueError:
        sku = record.get("sku") if isinstance(record, dict) else None
        label = f" (sku {sku!r})" if isinstance(sku, str) and sku else ""
        return CatalogueError(file, f"{message}{label}", index)

    if not isinstance(record, dict):
        raise fail(f"expected an object, got {type(record).__name__}")
    missing = [key for key in _REQUIRED if key not in record]
    if missing:
        raise fail(f"missing field(s) {', '.join(missing)}")
    for key in ("sku", "name", "category"):
        if not isinstance(record[key], str) or not record[key].strip():
            raise fail(f"{key} must be a non-empty string, got {record[key]!r}")
    price = record["price"]
    if isinstance(price, bool) or not isinstance(price, int | Decimal):
        raise fail(f"price must be a number, got {price!r}")
    price = Decimal(price)
    if not price.is_finite() or price <= 0 or price != price.quantize(Decimal("0.01")):
        raise fail(f"price must be positive with at most 2 decimals, got {price}")
    if record["currency"] != SHOP_CURRENCY:
        raise fail(f"currency must be {SHOP_CURRENCY!r}, got {record['currency']!r}")
    stock = record["stock"]
    if isinstance(stock, bool) or not isinstance(stock, int) or stock < 0:
        raise fail(f"stock must be a whole number >= 0, got {stock!r}")
    attributes = {} if record.get("attributes") is None else record["attributes"]
    if not isinstance(attributes, dict):
        raise fail(f"attributes must be an object, got {attributes!r}")
    tags = [] if record.get("tags") is None else record["tags"]
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise fail(f"tags must be a list of strings, got {tags!r}")
    final_sale = record.get("final_sale", False)
    if not isinstance(final_sale, bool):
        raise fail(f"final_sale must be true or false, got {final_sale!r}")
    optional_text = {key: record.get(key) for key in ("subcategory", "description", "image")}
    for key, value in optional_text.items():
        if value is not None and not isinstance(value, str):
            raise fail(f"{key} must be a string, got {value!r}")
    return CatalogueProduct(
        sku=record["sku"].strip(),
        name=record["name"].strip(),
        category=record["category"].strip(),
        subcategory=optional_text["subcategory"] or None,
        price=price.quantize(Decimal("0.01")),
        currency=record["currency"],
        stock=stock,
        attributes=MappingProxyType(dict(attributes)),
        description=optional_text["description"] or "",
        image=optional_text["image"] or None,
        final_sale=final_sale,
        tags=tuple(tags),
    )
