"""Wires the console into the web app: shared state, routers, static files, the poller's task."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from bot.handoff.agents import LoginLimiter
from bot.handoff.live import Hub, Poller
from bot.handoff.rasa_api import RasaApi
from bot.settings import get_settings
from bot.web.console import agents, auth, conversations, events, page, privacy
from bot.web.console.copy import add_copy
from bot.web.console.deps import ConsoleState
from bot.web.console.insights import add_insights


def add_console(app: FastAPI, rasa_url: str, rasa_token: str | None) -> None:
    """Adds ``/console`` and ``/api/console`` to ``app`` (state in ``app.state.console``)."""
    settings = get_settings()
    app.state.console = ConsoleState(
        rasa=RasaApi(rasa_url, rasa_token),
        hub=Hub.for_database(settings.app_database_url),
        limiter=LoginLimiter(
            settings.console_login_attempts, settings.console_login_window_seconds
        ),
        address_limiter=LoginLimiter(
            4 * settings.console_login_attempts, settings.console_login_window_seconds
        ),
        session_minutes=settings.console_session_minutes,
        secure_cookies=settings.console_secure_cookies,
    )
    for module in (auth, agents, conversations, events, page, privacy):
        app.include_router(module.router)
    add_insights(app, settings.tracker_store_url)
    add_copy(app)
    app.mount("/console/static", StaticFiles(directory=page.CONSOLE_DIR), name="console")


@asynccontextmanager
async def console_running(app: FastAPI, poll_seconds: float | None = None) -> AsyncIterator[None]:
    """Runs the poller of open conversations while the app runs."""
    state: ConsoleState = app.state.console
    interval = poll_seconds or get_settings().console_poll_seconds
    state.poller = Poller(app.state.app_sessions, state.rasa, state.hub, interval)
    task = asyncio.create_task(state.poller.run(), name="console-poller")
    try:
        yield
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await state.rasa.close()
