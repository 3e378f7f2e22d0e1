"""``/api/console/events``: server-sent events for the signed-in console (new handoffs, queue
changes, new messages), so the page updates without reloading."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from bot.web.console.deps import AgentSessionDep, StateDep

router = APIRouter(prefix="/api/console", tags=["console"])
HEARTBEAT_SECONDS = 15.0


@router.get("/events", response_class=StreamingResponse)
async def events(request: Request, found: AgentSessionDep, state: StateDep) -> StreamingResponse:
    """An ``text/event-stream`` of ``{"type": "queue" | "conversation" | "message", …}`` events; it
    ends when the session expires (the page then signs in again)."""
    queue = state.hub.subscribe()
    expires = found.expires_at

    async def stream() -> AsyncIterator[str]:
        try:
            yield "retry: 2000\nevent: ready\ndata: {}\n\n"
            while datetime.now(UTC) < expires and not await request.is_disconnected():
                try:
                    event = await asyncio.wait_for(queue.get(), HEARTBEAT_SECONDS)
                except TimeoutError:
                    yield ": heartbeat\n\n"
                    continue
                yield f"data: {json.dumps(event, default=str)}\n\n"
        finally:
            state.hub.unsubscribe(queue)

    return StreamingResponse(
        stream(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
