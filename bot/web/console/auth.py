"""``/api/console/login``, ``/logout`` and ``/me``: signing agents in and out."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, Response

from bot.handoff.agents import authenticate, close_session, open_session
from bot.web.console.deps import COOKIE, AgentSessionDep, DbDep, StateDep
from bot.web.console.schemas import AgentPublic, LoginRequest, SessionPublic

router = APIRouter(prefix="/api/console", tags=["console"])


@router.post("/login")
def login(
    body: LoginRequest, request: Request, response: Response, db: DbDep, state: StateDep
) -> SessionPublic:
    """Signs an agent in: sets the session cookie and returns the CSRF token to send back."""
    address = request.client.host if request.client else "-"
    key = f"{address}|{body.email.strip().lower()}"
    # Per e-mail and address, and per address alone (guessing across many e-mails).
    wait = max(state.limiter.retry_after(key), state.address_limiter.retry_after(address))
    if wait:
        raise HTTPException(
            status_code=429,
            headers={"Retry-After": str(wait)},
            detail=f"Too many failed sign-ins; try again in {wait} s",
        )
    agent = authenticate(db, body.email, body.password)
    if agent is None:
        state.limiter.failed(key)
        state.address_limiter.failed(address)
        raise HTTPException(status_code=401, detail="Wrong e-mail or password")
    state.limiter.succeeded(key)
    opened = open_session(db, agent, state.session_minutes)
    response.set_cookie(
        COOKIE,
        opened.token,
        max_age=state.session_minutes * 60,
        httponly=True,
        samesite="strict",
        secure=state.secure_cookies,
        path="/",
    )
    return SessionPublic(
        agent=AgentPublic.of(agent), csrf_token=opened.csrf_token, expires_at=opened.expires_at
    )


@router.post("/logout", status_code=204)
def logout(request: Request, response: Response, found: AgentSessionDep, db: DbDep) -> None:
    """Signs the caller out."""
    close_session(db, request.cookies[COOKIE])
    response.delete_cookie(COOKIE, path="/")


@router.get("/me")
def me(found: AgentSessionDep) -> SessionPublic:
    """The signed-in agent and the session's CSRF token (the page reads it after a reload)."""
    return SessionPublic(
        agent=AgentPublic.of(found.agent), csrf_token=found.csrf_token, expires_at=found.expires_at
    )
