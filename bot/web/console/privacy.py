"""``/console/privacy`` and ``/api/console/privacy``: an admin exports or erases one shopper's
data, found by e-mail address or conversation id (see :mod:`bot.privacy.shopper_data`)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import FileResponse, JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Engine, create_engine

from bot.privacy.shopper_data import Erased, ShopperNotFound, Subject, erase_shopper, export_shopper
from bot.web.console.deps import CurrentAdmin, DbDep
from bot.web.console.page import CONSOLE_DIR, SECURITY_HEADERS

log = logging.getLogger(__name__)
router = APIRouter(tags=["console"])


class ErasureRequest(BaseModel):
    """Whose data to erase; ``confirm`` must be true."""

    model_config = ConfigDict(extra="forbid")

    email: str | None = Field(default=None, max_length=254)
    conversation_id: str | None = Field(default=None, max_length=128)
    confirm: bool = Field(description="Must be true: an erasure cannot be undone.")


class ErasurePublic(BaseModel):
    """What was erased."""

    conversations: list[str]
    rows: dict[str, int]


def tracker_engine(request: Request) -> Engine:
    """Rasa's tracker store (one engine per app, made on first use)."""
    engine: Engine | None = getattr(request.app.state, "privacy_tracker", None)
    if engine is None:
        from bot.settings import get_settings

        engine = create_engine(get_settings().tracker_store_url)
        request.app.state.privacy_tracker = engine
    return engine


def _subject(email: str | None, conversation_id: str | None) -> Subject:
    try:
        return Subject(email=(email or "").strip() or None, conversation_id=conversation_id or None)
    except ValueError as error:
        raise HTTPException(status_code=422, detail=str(error)) from error


@router.get("/console/privacy", include_in_schema=False)
def privacy_page() -> FileResponse:
    """The admins' page for shoppers' data requests."""
    return FileResponse(CONSOLE_DIR / "privacy.html", headers=SECURITY_HEADERS)


@router.get("/api/console/privacy/export")
def export_data(
    admin: CurrentAdmin,
    db: DbDep,
    request: Request,
    email: str | None = Query(default=None, max_length=254),
    conversation_id: str | None = Query(default=None, max_length=128),
) -> JSONResponse:
    """Everything stored about one shopper as a JSON download (admins only); 404 when nothing."""
    subject = _subject(email, conversation_id)
    try:
        document: dict[str, Any] = export_shopper(subject, db, tracker_engine(request))
    except ShopperNotFound as error:
        raise HTTPException(status_code=404, detail=str(error)) from error
    log.info(
        "admin %s exported the data of %d conversations", admin.id, len(document["conversations"])
    )
    name = "shopper-data.json"
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}
    return JSONResponse(document, headers=headers)


@router.post("/api/console/privacy/erase")
def erase_data(
    body: ErasureRequest, admin: CurrentAdmin, db: DbDep, request: Request
) -> ErasurePublic:
    """Erases everything stored about one shopper (admins only, with the CSRF header)."""
    if not body.confirm:
        raise HTTPException(
            status_code=422, detail="Set confirm to true: an erasure cannot be undone"
        )
    subject = _subject(body.email, body.conversation_id)
    try:
        erased: Erased = erase_shopper(subject, db, tracker_engine(request))
    except ShopperNotFound as error:
        raise HTTPException(status_code=404, detail=str(error)) from error
    log.info("admin %s erased the data of %d conversations", admin.id, len(erased.conversations))
    return ErasurePublic(conversations=erased.conversations, rows=erased.rows)
