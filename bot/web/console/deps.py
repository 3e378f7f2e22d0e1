"""Who is calling the console API: the session cookie, CSRF check, roles, and shared state."""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session

from bot.handoff.agents import LoginLimiter, find_session
from bot.handoff.live import Hub, Poller
from bot.handoff.models import Agent, AgentSession, Role
from bot.handoff.rasa_api import RasaApi

COOKIE = "fernhill_console"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


@dataclass
class ConsoleState:
    """What the console's routes share in one web-app process."""

    rasa: RasaApi
    hub: Hub
    limiter: LoginLimiter
    address_limiter: LoginLimiter
    session_minutes: int
    secure_cookies: bool
    poller: Poller | None = None


def get_db(request: Request) -> Iterator[Session]:
    """A session of the app database, committed when the request succeeds (routes that announce
    a change commit first themselves), rolled back when it fails."""
    with request.app.state.app_sessions() as session:
        yield session
        session.commit()


def get_state(request: Request) -> ConsoleState:
    """The console's shared state (made by :func:`bot.web.console.setup.add_console`)."""
    state: ConsoleState = request.app.state.console
    return state


MAX_ROW_ID = 2**63 - 1
"""The largest id a database row can have (64-bit signed integers): a larger one in a path is
refused with 422 and the reason rather than reaching the database."""

DbDep = Annotated[Session, Depends(get_db)]
StateDep = Annotated[ConsoleState, Depends(get_state)]


def get_agent_session(request: Request, db: DbDep) -> AgentSession:
    """The caller's live session; 401 without one, 403 for a state change without the CSRF token."""
    token = request.cookies.get(COOKIE)
    found = find_session(db, token) if token else None
    if found is None:
        raise HTTPException(status_code=401, detail="Sign in first (no session, or it expired)")
    if request.method not in SAFE_METHODS:
        given = request.headers.get(CSRF_HEADER, "")
        if not hmac.compare_digest(given.encode(), found.csrf_token.encode()):
            raise HTTPException(status_code=403, detail=f"Missing or wrong {CSRF_HEADER} header")
    return found


AgentSessionDep = Annotated[AgentSession, Depends(get_agent_session)]


def get_current_agent(found: AgentSessionDep) -> Agent:
    return found.agent


CurrentAgent = Annotated[Agent, Depends(get_current_agent)]


def get_admin(agent: CurrentAgent) -> Agent:
    """The caller, who must be an admin (403 otherwise)."""
    if agent.role != Role.ADMIN.value:
        raise HTTPException(status_code=403, detail="Only admins may manage agents")
    return agent


CurrentAdmin = Annotated[Agent, Depends(get_admin)]
