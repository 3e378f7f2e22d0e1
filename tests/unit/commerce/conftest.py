"""Fixtures of the commerce tests: a small catalogue file and real seeded SQLite databases.

The seeded database is built once per session and copied for every test that uses it, so
tests that write never see each other's changes.
"""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.commerce.catalogue import Catalogue, load_catalogue
from bot.commerce.db import dispose_engines, get_engine, get_sessionmaker
from bot.commerce.seed import seed_database, seed_now
from bot.commerce.service import OrderService
from bot.settings import Settings

BASE_DATE = date(2026, 11, 1)
SEED_NOW = seed_now(BASE_DATE)  # 2026-11-01 10:00 UTC

# sku, name, category, price, final_sale
_PRODUCTS = [
    ("T-CL-001", "Linen Shirt", "Clothing", 59.95, False),
    ("T-CL-002", "Merino Jumper", "Clothing", 89.0, False),
    ("T-CL-003", "Swim Shorts", "Clothing", 29.95, True),
    ("T-SH-001", "Canvas Sneakers", "Shoes", 69.95, False),
    ("T-SH-002", "Leather Boots", "Shoes", 149.0, False),
    ("T-BA-001", "Roll-Top Backpack", "Bags & Accessories", 89.0, False),
    ("T-BA-002", "Canvas Tote", "Bags & Accessories", 24.95, False),
    ("T-BA-003", "Silver Earrings", "Bags & Accessories", 19.95, True),
    ("T-HK-001", "Chef's Knife", "Home & Kitchen", 79.0, False),
    ("T-HK-002", "Stoneware Mug", "Home & Kitchen", 14.95, False),
    ("T-HK-003", "Cast-Iron Pan", "Home & Kitchen", 119.0, False),
    ("T-HK-004", "Linen Tea Towels", "Home & Kitchen", 12.5, False),
    ("T-OC-001", "Two-Person Tent", "Outdoor & Camping", 289.0, False),
    ("T-OC-002", "Headlamp", "Outdoor & Camping", 34.95, False),
    ("T-EA-001", "USB-C Charger", "Electronics Accessories", 39.95, False),
    ("T-EA-002", "Wireless Earbuds", "Electronics Accessories", 129.0, False),
    ("T-BC-001", "Hand Cream", "Beauty & Care", 12.95, False),
    ("T-BC-002", "Facial Oil", "Beauty & Care", 34.0, False),
    ("T-BC-003", "Lip Balm", "Beauty & Care", 4.95, True),
]


def product_records() -> list[dict[str, object]]:
    """The test catalogue as JSON-ready records (the real file's keys)."""
    return [
        {
            "sku": sku,
            "name": name,
            "category": category,
            "subcategory": None,
            "price": price,
            "currency": "EUR",
            "stock": 10 + i,
            "attributes": {"colour": "blue"},
            "description": f"A {name.lower()}.",
            "image": f"images/{sku}.svg",
            "final_sale": final_sale,
            "tags": ["test"],
        }  # fmt: skip
        for i, (sku, name, category, price, final_sale) in enumerate(_PRODUCTS)
    ]


@pytest.fixture(scope="session")
def knowledge_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A knowledge folder holding only the test ``products.json``."""
    folder = tmp_path_factory.mktemp("knowledge")
    (folder / "products.json").write_text(json.dumps(product_records()), encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def catalogue(knowledge_dir: Path) -> Catalogue:
    """The test catalogue, loaded."""
    return load_catalogue(knowledge_dir / "products.json")


def make_settings(knowledge_dir: Path, database_url: str, **overrides: object) -> Settings:
    """Settings for a test database (explicit values win over the environment)."""
    values: dict[str, object] = {
        "database_url": database_url, "knowledge_dir": knowledge_dir, "seed": 20261122,
        "seed_customers": 60, "seed_orders": 320, "seed_base_date": BASE_DATE,
    }  # fmt: skip
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory, knowledge_dir: Path) -> Path:
    """A database file seeded once with the test catalogue; copy it, never write to it."""
    path = tmp_path_factory.mktemp("template") / "shop.db"
    url = f"sqlite:///{path}"
    seed_database(get_engine(url), settings=make_settings(knowledge_dir, url))
    dispose_engines(url)
    return path


@pytest.fixture()
def db_url(tmp_path: Path, seeded_template: Path) -> Iterator[str]:
    """URL of a private copy of the seeded database."""
    path = tmp_path / "shop.db"
    shutil.copyfile(seeded_template, path)
    url = f"sqlite:///{path}"
    yield url
    dispose_engines(url)


@pytest.fixture()
def sessions(db_url: str) -> sessionmaker[Session]:
    """Sessions on the test database, to check what the service wrote."""
    return get_sessionmaker(db_url)


class Clock:
    """A settable clock for the service (starts one hour after the seed's "now")."""

    def __init__(self, now: datetime = SEED_NOW + timedelta(hours=1)) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def set(self, moment: datetime) -> None:
        """Moves the clock (must be timezone-aware)."""
        assert moment.tzinfo is UTC
        self.now = moment


@pytest.fixture()
def clock() -> Clock:
    """The service's clock."""
    return Clock()


@pytest.fixture()
def service(db_url: str, clock: Clock) -> OrderService:
    """The order service on a private seeded database."""
    return OrderService.from_url(db_url, clock=clock, rng=random.Random(7))


@pytest.fixture(scope="session")
def settings_for(knowledge_dir: Path) -> Callable[..., Settings]:
    """``settings_for(url, **overrides)``: test settings for a database URL."""

    def build(database_url: str, **overrides: object) -> Settings:
        folder = overrides.pop("knowledge_dir", knowledge_dir)
        return make_settings(folder, database_url, **overrides)  # type: ignore[arg-type]

    return build
