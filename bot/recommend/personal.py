"""A verified shopper's profile in recommendations: what they state is remembered (budget, sizes,
colours, features), and a later request prefers products in their sizes and colours and is
greeted with "welcome back". Nothing is kept for shoppers who have not verified an order."""

from __future__ import annotations

import logging
from dataclasses import replace

from bot.appdata.db import get_app_engine, get_app_sessionmaker
from bot.appdata.migrate import upgrade_app_database
from bot.appdata.profiles import ProfileView, get_profile, remember_preferences
from bot.recommend.request import Request

log = logging.getLogger(__name__)


def load_profile(email: str | None) -> ProfileView | None:
    """The verified shopper's profile (None without one, or when the database cannot be read)."""
    if not email:
        return None
    try:
        engine = get_app_engine()
        upgrade_app_database(engine)
        with get_app_sessionmaker(engine)() as session:
            return get_profile(session, email)
    except Exception as error:  # noqa: BLE001 - a profile is a help, never a reason to fail
        log.warning("shopper profile not read: %s", error)
        return None


def remember_request(email: str | None, request: Request) -> bool:
    """Adds what the request states to the verified shopper's profile; False when nothing was
    stored (no e-mail, nothing stated, or the database failed)."""
    stated = request.size or request.colour or request.features or request.excluded
    if not email or not (stated or request.max_price is not None):
        return False
    try:
        engine = get_app_engine()
        upgrade_app_database(engine)
        with get_app_sessionmaker(engine)() as session, session.begin():
            remember_preferences(
                session,
                email,
                max_price=None if request.max_price is None else f"{request.max_price:.2f}",
                sizes=[request.size] if request.size else [],
                colours=[request.colour] if request.colour else [],
                features=list(request.features),
                excluded=list(request.excluded),
            )
        return True
    except Exception as error:  # noqa: BLE001 - a profile is a help, never a reason to fail
        log.warning("shopper profile not stored: %s", error)
        return False


def with_profile(request: Request, profile: ProfileView | None) -> Request:
    """The request with the profile's sizes and colours as preferences (never as constraints:
    the shopper did not ask for them this time)."""
    if profile is None:
        return request
    return replace(request, preferred_sizes=profile.sizes, preferred_colours=profile.colours)


def welcome(profile: ProfileView | None) -> str:
    """The greeting of a returning shopper ('' without a profile)."""
    if profile is None:
        return ""
    kept = [f"size {', '.join(profile.sizes[-2:])}" if profile.sizes else "",
            f"{profile.colours[-1]}" if profile.colours else ""]  # fmt: skip
    said = " and ".join(k for k in kept if k)
    return f"Welcome back! I've kept {said} in mind. " if said else "Welcome back! "
