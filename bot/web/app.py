"""FastAPI app serving the demo shop page and a chat API that relays to Rasa's REST channel."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated, Any

import httpx
from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field, StringConstraints

from bot.settings import get_settings

log = logging.getLogger(__name__)
STATIC_DIR = Path(__file__).parent / "static"
MAX_MESSAGE_CHARS = 10_000


class ChatRequest(BaseModel):
    """A shopper's message to the assistant."""

    sender: Annotated[str, StringConstraints(min_length=1, max_length=128, pattern=r"^[\w.-]+$")]
    message: str = Field(max_length=MAX_MESSAGE_CHARS)


def create_app(rasa_url: str | None = None) -> FastAPI:
    """Builds the web app.

    Args:
        rasa_url: Base URL of the Rasa server (default: the ``rasa_url`` setting).
    """
    rasa = (rasa_url or get_settings().rasa_url).rstrip("/")
    app = FastAPI(title="Fernhill Goods assistant", version="0.1.0")

    @app.get("/health")
    async def health() -> dict[str, Any]:
        """Says the web app is up, and whether Rasa answers."""
        try:
            async with httpx.AsyncClient(timeout=2) as client:
                rasa_up = (await client.get(f"{rasa}/")).status_code == 200
        except httpx.HTTPError:
            rasa_up = False
        return {"status": "ok", "rasa": "up" if rasa_up else "unreachable"}

    @app.post("/api/chat")
    async def chat(request: ChatRequest) -> list[dict[str, Any]]:
        """Relays one message to Rasa's REST channel and returns the assistant's messages."""
        try:
            async with httpx.AsyncClient(timeout=60) as client:
                answer = await client.post(
                    f"{rasa}/webhooks/rest/webhook",
                    json={"sender": request.sender, "message": request.message},
                )
        except httpx.HTTPError as error:
            log.warning("Rasa unreachable at %s: %s", rasa, error)
            raise HTTPException(503, detail="The assistant is not reachable right now.") from error
        if answer.status_code != 200:
            log.error("Rasa answered %s: %s", answer.status_code, answer.text[:500])
            raise HTTPException(502, detail="The assistant could not answer this message.")
        return answer.json()

    @app.get("/", include_in_schema=False)
    async def index() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html")

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
