"""Variants of clothing and shoes: a SKU and a stock per size (and colour), in the shop
database, on the product page, and in the recommender's size filter."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.commerce.catalogue import load_catalogue
from bot.commerce.db import dispose_engines, get_engine
from bot.commerce.models import ProductVariant
from bot.commerce.seed import seed_database
from bot.commerce.variants import product_colours, product_variants
from bot.web.app import create_app
from devtools.servers import free_port
from tests.unit.commerce.conftest import make_settings

pytestmark = pytest.mark.unit

SHOP = load_catalogue()


def test_every_variant_has_its_own_sku_and_stock_summing_to_the_product() -> None:
    skus: set[str] = set()
    for product in SHOP:
        variants = product_variants(product)
        if product.category not in ("Clothing", "Shoes") or "sizes" not in product.attributes:
            assert variants == ()
            continue
        assert variants, product.sku
        assert sum(v.stock for v in variants) == product.stock
        assert all(v.product_sku == product.sku and v.sku.startswith(product.sku) for v in variants)
        skus.update(v.sku for v in variants)
    assert len(skus) == sum(len(product_variants(p)) for p in SHOP)  # unique


def test_colours_listed_with_commas_are_variants() -> None:
    socks = SHOP.get("FH-CL-0012")
    assert socks is not None
    assert product_colours(socks) == ["oatmeal", "charcoal", "rust"]
    variants = product_variants(socks)
    assert len(variants) == 3 * 3
    assert {v.colour for v in variants} == {"oatmeal", "charcoal", "rust"}


def test_the_same_variants_every_time_and_some_sold_out() -> None:
    sneakers = SHOP.get("FH-SH-0007")
    assert sneakers is not None
    assert product_variants(sneakers) == product_variants(sneakers)
    assert any(v.stock == 0 for p in SHOP for v in product_variants(p) if p.stock > 0)


def test_the_seeded_database_holds_the_variants(tmp_path: Path, knowledge_dir: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shop.db'}"
    engine = get_engine(url)
    seed_database(engine, settings=make_settings(knowledge_dir, url), catalogue=SHOP)
    with Session(engine) as session:
        rows = {row.sku: row for row in session.scalars(select(ProductVariant))}
    expected = [v for p in SHOP for v in product_variants(p)]
    assert len(rows) == len(expected)
    for variant in expected:
        row = rows[variant.sku]
        assert (row.product_sku, row.size, row.colour, row.stock) == (
            variant.product_sku, variant.size, variant.colour, variant.stock
        )  # fmt: skip
    dispose_engines(url)


def test_the_product_page_lists_sizes_with_their_stock(tmp_path: Path) -> None:
    app = create_app(f"http://127.0.0.1:{free_port()}", f"sqlite:///{tmp_path / 'app.db'}")
    sneakers = SHOP.get("FH-SH-0007")
    assert sneakers is not None
    with TestClient(app) as client:
        page = client.get("/products/FH-SH-0007").text
        backpack = client.get("/products/FH-BA-0001").text
    assert "Sizes and colours" in page
    for variant in product_variants(sneakers):
        assert f"<td>{variant.sku}</td>" in page
    sold_out = next(v for v in product_variants(sneakers) if v.stock == 0)
    assert f'<td>{sold_out.sku}</td><td class="stock out">Out of stock</td>' in page
    assert "Sizes and colours" not in backpack
