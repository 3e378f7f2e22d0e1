"""One settings object for the whole project, read from the environment (and ``.env``).

Every setting is listed with its default in ``.env.example``.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Settings of the assistant; environment variables are prefixed ``FERNHILL_``."""

    model_config = SettingsConfigDict(
        env_prefix="FERNHILL_", env_file=PROJECT_ROOT / ".env", extra="ignore"
    )

    database_url: str = Field(
        default=f"sqlite:///{PROJECT_ROOT / 'var' / 'shop.db'}",
        description="SQLAlchemy URL of the shop database (orders, customers, refunds).",
    )
    knowledge_dir: Path = Field(
        default=PROJECT_ROOT / "knowledge_base",
        description="Folder with the shop's source documents and catalogue.",
    )
    seed: int = Field(default=20261122, description="Random seed of the demo data.")
    seed_customers: int = Field(default=60, description="Customers created by the seed.")
    seed_orders: int = Field(default=320, description="Orders created by the seed.")
    seed_base_date: date | None = Field(
        default=None,
        description="The demo data's 'today' (orders are dated relative to it); "
        "None: the day the database is seeded.",
    )
    rasa_url: str = Field(default="http://127.0.0.1:5005", description="Rasa server URL.")
    action_port: int = Field(default=5055, description="Port of the action server.")
    web_host: str = Field(default="127.0.0.1", description="Web app host.")
    web_port: int = Field(default=8000, description="Web app port.")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Returns the process-wide settings (read once)."""
    return Settings()
