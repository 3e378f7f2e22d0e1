"""The web app: the demo shop with the chat widget, the widget's files and the app's HTTP API.

Routes: ``/`` and ``/products/{sku}`` (shop pages, see :mod:`bot.web.shop`), ``/widget/…`` (the
embeddable widget, see :mod:`bot.web.widget_files`), ``/shared/…`` (ES modules the widget and
the console both import), ``/api/conversations/{id}/rating`` (:mod:`bot.web.ratings`), the
agents' console at ``/console`` with its API under ``/api/console`` (:mod:`bot.web.console`)
and ``/health``. Every response has the security headers and only the shop's origins
(``allowed_origins``) get CORS, on the widget's paths (:mod:`bot.web.security`). While a
database cannot be reached, calls that need it answer 503 with a JSON reason. The
shopper's browser talks to Rasa's socket.io channel directly; this app never relays chat
messages.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from bot.appdata import get_app_engine, get_app_sessionmaker, upgrade_app_database
from bot.privacy.masking import install_log_masking
from bot.settings import get_settings
from bot.web import ratings, shop, widget_files
from bot.web.console.setup import add_console, console_running
from bot.web.security import SecurityHeaders, ShopOrigins, parse_origins, socket_sources
from bot.web.shop import STATIC_DIR

log = logging.getLogger(__name__)
DATABASE_DOWN = "the database is not reachable right now; try again shortly"
"""The ``detail`` of the 503 answer while a database cannot be reached."""
DATABASE_SCHEMA = (
    "the database's tables are not the ones this version needs; restart the web app to migrate it"
)
"""The ``detail`` of the 500 answer when a table or column the code needs is missing."""


def create_app(
    rasa_url: str | None = None,
    app_database_url: str | None = None,
    widget_socket_url: str | None = None,
    rasa_token: str | None = None,
) -> FastAPI:
    """Builds the web app.

    Args:
        rasa_url: Base URL of the Rasa server (default: the ``rasa_url`` setting).
        app_database_url: SQLAlchemy URL of the app database (default: the setting).
        widget_socket_url: Rasa's socket.io URL as browsers reach it, for the demo page's widget
            (default: the ``widget_socket_url`` setting, else ``rasa_url``).
        rasa_token: Token of Rasa's HTTP API, for the agents' console (default: the setting,
            else var/rasa-api-token).
    """
    settings = get_settings()
    install_log_masking()  # shoppers' e-mails, phones, addresses and cards never reach the log
    rasa = (rasa_url or settings.rasa_url).rstrip("/")
    engine = get_app_engine(app_database_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        upgrade_app_database(engine)
        async with console_running(app):
            yield

    app = FastAPI(title="Fernhill Goods assistant", version="0.1.0", lifespan=lifespan)
    app.state.rasa_url = rasa
    socket_url = widget_socket_url or settings.widget_socket_url or rasa
    app.state.widget_socket_url = socket_url.rstrip("/")
    app.state.app_sessions = get_app_sessionmaker(engine)
    app.state.rate_limiters = {}  # per kind of call, see bot.web.ratings

    @app.get("/health")
    async def health() -> dict[str, Any]:
        """Says the web app is up, and whether Rasa answers."""
        try:
            async with httpx.AsyncClient(timeout=2) as client:
                rasa_up = (await client.get(f"{rasa}/")).status_code == 200
        except httpx.HTTPError:
            rasa_up = False
        return {"status": "ok", "rasa": "up" if rasa_up else "unreachable"}

    for unreachable in (OperationalError, InterfaceError, PoolTimeout):
        app.add_exception_handler(unreachable, database_unreachable)
    add_console(app, rasa, rasa_token or settings.resolved_rasa_token())
    app.include_router(shop.router)
    app.include_router(ratings.router)
    app.include_router(widget_files.router)
    app.mount("/widget", StaticFiles(directory=widget_files.WIDGET_DIR), name="widget")
    # ES modules both the widget and the console import (the message shapes).
    app.mount("/shared", StaticFiles(directory=widget_files.SHARED_DIR), name="shared")
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_middleware(ShopOrigins, origins=parse_origins(settings.allowed_origins))
    app.add_middleware(SecurityHeaders, connect=socket_sources(app.state.widget_socket_url))
    return app


# SQLite's OperationalError also covers a schema that does not match the code: no outage, so no
# 503 (trying again will not help).
_SCHEMA_PROBLEM = re.compile(r"no such (?:table|column)|has no column named", re.IGNORECASE)


async def database_unreachable(request: Request, error: Exception) -> JSONResponse:
    """503 with a JSON reason when a database cannot be reached (a lost connection, a refused
    one, a full pool); the engines ping pooled connections, so the next call after the outage
    works again. A database whose tables are not the ones the code expects is a 500 that says
    so (the web app creates them at start; see the log)."""
    cause = str(getattr(error, "orig", None) or error)
    if _SCHEMA_PROBLEM.search(cause):
        log.error(
            "database schema problem during %s %s: %s", request.method, request.url.path, cause
        )
        return JSONResponse({"detail": DATABASE_SCHEMA}, status_code=500)
    log.warning("database unreachable during %s %s: %s", request.method, request.url.path, error)
    return JSONResponse({"detail": DATABASE_DOWN}, status_code=503, headers={"Retry-After": "30"})
