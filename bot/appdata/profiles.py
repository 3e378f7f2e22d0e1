"""Shopper profiles: what a verified shopper told the assistant while choosing products (budget,
sizes, colours, features wanted or not), kept in the app database under their e-mail address and
deleted after ``retention_profile_days`` without use.

The privacy tools call :func:`describe_profile`, :func:`erase_profile` and :func:`purge_profiles`
(``bot/privacy``); the recommender calls :func:`remember_preferences` and :func:`get_profile`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, String, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.appdata.base import AppBase
from bot.commerce.columns import UTCDateTime

MAX_ITEMS = 10  # sizes, colours and features kept per profile (the latest)


class ShopperProfile(AppBase):
    """One verified shopper's stated preferences."""

    __tablename__ = "shopper_profiles"

    email: Mapped[str] = mapped_column(String(254), primary_key=True)
    max_price: Mapped[str | None] = mapped_column(String(16))
    sizes: Mapped[list[str]] = mapped_column(JSON)
    colours: Mapped[list[str]] = mapped_column(JSON)
    features: Mapped[list[str]] = mapped_column(JSON)
    excluded: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


@dataclass(frozen=True)
class ProfileView:
    """A stored profile, detached from its session."""

    email: str
    max_price: str | None
    sizes: tuple[str, ...]
    colours: tuple[str, ...]
    features: tuple[str, ...]
    excluded: tuple[str, ...]
    last_used_at: datetime

    @classmethod
    def of(cls, row: ShopperProfile) -> ProfileView:
        """The view of a profile row."""
        return cls(row.email, row.max_price, tuple(row.sizes), tuple(row.colours),
                   tuple(row.features), tuple(row.excluded), row.last_used_at)  # fmt: skip


def _key(email: str) -> str:
    key = email.strip().lower()
    if "@" not in key:
        raise ValueError(f"email must be an e-mail address. Currently, email is {email!r}")
    return key


def _latest(old: list[str], new: list[str]) -> list[str]:
    merged = [item for item in old if item not in new] + list(dict.fromkeys(new))
    return merged[-MAX_ITEMS:]


def remember_preferences(
    session: Session,
    email: str,
    *,
    max_price: str | None = None,
    sizes: list[str] | None = None,
    colours: list[str] | None = None,
    features: list[str] | None = None,
    excluded: list[str] | None = None,
) -> ProfileView:
    """Adds what the shopper stated to their profile (created on first use; the caller commits).

    Raises:
        ValueError: ``email`` is not an e-mail address.
    """
    key = _key(email)
    now = datetime.now(UTC)
    row = session.get(ShopperProfile, key)
    if row is None:
        row = ShopperProfile(email=key, sizes=[], colours=[], features=[], excluded=[],
                             created_at=now)  # fmt: skip
        session.add(row)
    row.max_price = max_price or row.max_price
    row.sizes = _latest(list(row.sizes), sizes or [])
    row.colours = _latest(list(row.colours), colours or [])
    row.features = _latest(list(row.features), features or [])
    row.excluded = _latest(list(row.excluded), excluded or [])
    row.last_used_at = now
    session.flush()
    return ProfileView.of(row)


def get_profile(session: Session, email: str) -> ProfileView | None:
    """The shopper's profile, or None."""
    row = session.get(ShopperProfile, _key(email))
    return None if row is None else ProfileView.of(row)


def describe_profile(session: Session, email: str) -> dict[str, Any] | None:
    """Everything kept about the shopper's preferences, JSON-ready (None: nothing is kept)."""
    profile = get_profile(session, email)
    if profile is None:
        return None
    return {
        "email": profile.email,
        "budget_up_to_eur": profile.max_price,
        "sizes": list(profile.sizes),
        "colours": list(profile.colours),
        "features_wanted": list(profile.features),
        "not_wanted": list(profile.excluded),
        "last_used_at": profile.last_used_at.isoformat(),
    }


def erase_profile(session: Session, email: str) -> int:
    """Deletes the shopper's profile; returns the rows deleted (0 or 1; the caller commits)."""
    result = session.execute(delete(ShopperProfile).where(ShopperProfile.email == _key(email)))
    return int(getattr(result, "rowcount", 0) or 0)


def purge_profiles(session: Session, before: datetime) -> int:
    """Deletes profiles last used before ``before`` (the retention limit); returns how many."""
    stale = list(
        session.scalars(select(ShopperProfile.email).where(ShopperProfile.last_used_at < before))
    )
    if stale:
        session.execute(delete(ShopperProfile).where(ShopperProfile.email.in_(stale)))
    return len(stale)
