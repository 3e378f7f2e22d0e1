"""Reading products.json: typed products, exact prices, clear errors."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from bot.commerce import Catalogue, CatalogueError, load_catalogue
from bot.settings import PROJECT_ROOT

pytestmark = pytest.mark.unit


def write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "products.json"
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


def test_loads_typed_products(catalogue: Catalogue):
    assert len(catalogue) == 19
    product = catalogue.get("T-HK-004")
    assert product is not None
    assert product.price == Decimal("12.50") and isinstance(product.price, Decimal)
    assert (product.category, product.currency, product.final_sale) == (
        "Home & Kitchen", "EUR", False,
    )  # fmt: skip
    assert product.tags == ("test",) and product.attributes["colour"] == "blue"
    assert catalogue.get("nope") is None
    assert "Beauty & Care" in catalogue.categories()
    with pytest.raises(TypeError):
        product.attributes["colour"] = "red"  # type: ignore[index]


def test_prices_are_exact_decimals(tmp_path: Path):
    record = {"sku": "X1", "name": "Thing", "category": "Home & Kitchen", "price": 0.1,
              "currency": "EUR", "stock": 1}  # fmt: skip
    catalogue = load_catalogue(write(tmp_path, [record]))
    assert catalogue.products[0].price == Decimal("0.10")
    assert catalogue.products[0].attributes == {} and catalogue.products[0].tags == ()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"price": "abc"}, "price must be a number"),
        ({"price": -1}, "price must be positive"),
        ({"price": 1.999}, "at most 2 decimals"),
        ({"currency": "USD"}, "currency must be 'EUR'"),
        ({"stock": -3}, "stock must be a whole number"),
        ({"stock": True}, "stock must be a whole number"),
        ({"name": ""}, "name must be a non-empty string"),
        ({"final_sale": "yes"}, "final_sale must be true or false"),
        ({"tags": "summer"}, "tags must be a list of strings"),
        ({"attributes": []}, "attributes must be an object"),
    ],
)
def test_bad_record_names_file_index_and_field(tmp_path: Path, change, message):
    records = json.loads(json.dumps([{"sku": f"S{i}", "name": "Thing", "category": "Shoes",
                                      "price": 10, "currency": "EUR", "stock": 1}
                                     for i in range(3)]))  # fmt: skip
    records[2].update(change)
    path = write(tmp_path, records)
    with pytest.raises(CatalogueError) as error:
        load_catalogue(path)
    text = str(error.value)
    assert str(path) in text and "record 2" in text and message in text
    assert (error.value.path, error.value.index) == (path, 2)


def test_missing_fields_and_duplicates(tmp_path: Path):
    with pytest.raises(CatalogueError, match=r"record 0: missing field\(s\) price, currency"):
        load_catalogue(write(tmp_path, [{"sku": "A", "name": "B", "category": "C", "stock": 1}]))
    record = {"sku": "A", "name": "B", "category": "C", "price": 1, "currency": "EUR", "stock": 1}
    with pytest.raises(CatalogueError, match=r"record 1: duplicate sku 'A' \(first at record 0\)"):
        load_catalogue(write(tmp_path, [record, record]))


@pytest.mark.parametrize(
    ("content", "message"),
    [("{not json", "cannot read catalogue"), ('{"sku": "A"}', "expected a JSON list"),
     ("[]", "the catalogue is empty"), ("[42]", "record 0: expected an object")],
)  # fmt: skip
def test_file_level_errors(tmp_path: Path, content: str, message: str):
    with pytest.raises(CatalogueError, match=message):
        load_catalogue(write(tmp_path, content))


def test_missing_file_is_named(tmp_path: Path):
    with pytest.raises(CatalogueError) as error:
        load_catalogue(tmp_path / "nowhere.json")
    assert "nowhere.json" in str(error.value) and "not found" in str(error.value)


@pytest.mark.skipif(
    not (PROJECT_ROOT / "knowledge_base" / "products.json").exists(),
    reason="knowledge_base/products.json not written yet",
)
def test_real_catalogue_is_valid():
    catalogue = load_catalogue(PROJECT_ROOT / "knowledge_base" / "products.json")
    assert len(catalogue) >= 20
    assert any("beauty" in c.casefold() for c in catalogue.categories())
    assert any(p.final_sale for p in catalogue)
