"""``/console/copy`` and ``/api/console/copy``: product copy for admins. Choose products, a purpose,
an audience and a tone; the local generator writes a draft from the catalogue data and the shop's
policies (or it is composed from the catalogue data, and says so); every sentence carries its
grounding verdict; edits are checked again and saved as versions; a draft exports as CSV, JSON or
plain text."""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path as FilePath
from typing import Annotated, Any, Literal

from fastapi import APIRouter, FastAPI, HTTPException, Path, Query, Request
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel, Field

from bot.commerce.catalogue import CatalogueProduct, load_catalogue
from bot.insights.copy import CopyDesk, CopyModel
from bot.insights.copy_check import MAX_DRAFT_CHARS, CopyCheck
from bot.insights.copy_sources import IndexPolicies, search_products
from bot.insights.copy_store import (
    DraftNotFound,
    DraftView,
    draft_view,
    export_draft,
    recent_drafts,
)
from bot.insights.copy_writer import (
    MAX_AUDIENCE,
    MAX_PRODUCTS,
    PURPOSES,
    TONES,
    CopyInvalid,
    CopyRequest,
)
from bot.settings import get_settings
from bot.web.console.deps import CurrentAdmin, DbDep
from bot.web.console.page import CONSOLE_DIR, SECURITY_HEADERS

router = APIRouter(tags=["console"])
DraftId = Annotated[int, Path(ge=1, le=2**63 - 1, description="A copy draft's id")]
Sku = Annotated[str, Field(min_length=1, max_length=40)]
_DESK_LOCK = threading.Lock()


class ProductPublic(BaseModel):
    """A product to choose."""

    sku: str
    name: str
    category: str
    price: str
    stock: int

    @classmethod
    def of(cls, product: CatalogueProduct) -> ProductPublic:
        return cls(
            sku=product.sku,
            name=product.name,
            category=product.subcategory or product.category,
            price=f"{product.price:.2f} {product.currency}",
            stock=product.stock,
        )


class CopyAsk(BaseModel):
    """What to write: ``variants`` 2 also writes the B variant for an A/B test."""

    skus: list[Sku] = Field(min_length=1, max_length=MAX_PRODUCTS)
    purpose: Literal["product_page", "newsletter", "social_post", "ad_line"]
    audience: str = Field(
        default="shoppers of Fernhill Goods", min_length=1, max_length=MAX_AUDIENCE
    )
    tone: Literal["friendly", "premium", "playful", "practical"] = "friendly"
    variants: int = Field(default=1, ge=1, le=2)


class TextToCheck(BaseModel):
    """An edited draft's text (checked against the evidence of ``skus``)."""

    skus: list[Sku] = Field(min_length=1, max_length=MAX_PRODUCTS)
    text: str = Field(min_length=1, max_length=MAX_DRAFT_CHARS)


class EditedText(BaseModel):
    """The text to save as a draft's newest version."""

    text: str = Field(min_length=1, max_length=MAX_DRAFT_CHARS)


class ProblemPublic(BaseModel):
    kind: str
    reason: str


class ClaimPublic(BaseModel):
    """A sentence of a draft and its verdict."""

    text: str
    start: int
    end: int
    supported: bool
    problems: list[ProblemPublic]


class CheckPublic(BaseModel):
    grounded: bool
    unsupported: int
    claims: list[ClaimPublic]

    @classmethod
    def of(cls, check: CopyCheck) -> CheckPublic:
        return cls.model_validate(
            {
                "grounded": check.grounded,
                "unsupported": check.unsupported,
                "claims": [
                    c.__dict__ | {"problems": [p.__dict__ for p in c.problems]}
                    for c in check.claims
                ],
            }
        )


class VersionPublic(BaseModel):
    number: int
    text: str
    method: str
    note: str
    author: str
    created_at: datetime
    grounded: bool
    unsupported: int
    claims: list[ClaimPublic]


class DraftPublic(BaseModel):
    """A draft with its versions, oldest first."""

    id: int
    skus: list[str]
    purpose: str
    audience: str
    tone: str
    variant: str
    created_by: str
    created_at: datetime
    updated_at: datetime
    versions: list[VersionPublic]

    @classmethod
    def of(cls, view: DraftView) -> DraftPublic:
        return cls.model_validate(view.__dict__ | {"versions": [v.__dict__ for v in view.versions]})


def default_desk() -> CopyDesk:
    """The catalogue, the knowledge index's policies (BM25 over the knowledge folder where the
    index does not load) and the configured generator (each loaded on the first draft), writing
    as many sentences as the purpose asks."""
    from bot.generation.service import generator_from_settings
    from bot.knowledge.service import get_holder

    settings = get_settings()
    policies = IndexPolicies(get_holder().get, FilePath(settings.knowledge_dir))
    model = CopyModel(None)
    # As for chat replies: the compose mode never asks the model.
    if settings.generator_enabled and settings.answer_mode != "compose":
        generator = generator_from_settings()
        generator.max_sentences = 0  # the purpose sets the length; the draft is cut to it
        model = CopyModel(generator, generator.warm_up)
    return CopyDesk(load_catalogue(), policies, model)


def add_copy(app: FastAPI, desk: CopyDesk | None = None) -> None:
    """Adds the copy page and API to ``app``; the desk (``app.state.copy_desk``) is made on first
    use unless given."""
    app.state.copy_desk = desk
    app.include_router(router)


def _desk(request: Request) -> CopyDesk:
    with _DESK_LOCK:
        if request.app.state.copy_desk is None:
            request.app.state.copy_desk = default_desk()
        desk: CopyDesk = request.app.state.copy_desk
    return desk


def _invalid(error: ValueError) -> HTTPException:
    return HTTPException(422, detail=str(error))


@router.get("/console/copy", include_in_schema=False)
def copy_page() -> FileResponse:
    """The copy page (it signs in through the console's API)."""
    return FileResponse(CONSOLE_DIR / "copy.html", headers=SECURITY_HEADERS)


@router.get("/api/console/copy/options")
def options(admin: CurrentAdmin) -> dict[str, Any]:
    """The purposes (with their length in sentences) and tones to choose from."""
    purposes = [{"id": k, "label": v.label, "sentences": v.sentences} for k, v in PURPOSES.items()]
    return {"purposes": purposes, "tones": list(TONES), "max_products": MAX_PRODUCTS}


@router.get("/api/console/copy/products")
def products(
    admin: CurrentAdmin,
    request: Request,
    q: Annotated[str, Query(max_length=100, description="Words of the SKU, name, tags …")] = "",
) -> list[ProductPublic]:
    """Catalogue products holding every word of ``q`` (the first 20)."""
    return [ProductPublic.of(p) for p in search_products(_desk(request).catalogue, q)]


@router.post("/api/console/copy/drafts")
def new_drafts(ask: CopyAsk, admin: CurrentAdmin, db: DbDep, request: Request) -> list[DraftPublic]:
    """Writes, checks and saves a draft (and its B variant when ``variants`` is 2)."""
    desk = _desk(request)
    made = []
    try:
        for variant in ("A", "B")[: ask.variants]:
            wanted = CopyRequest(tuple(ask.skus), ask.purpose, ask.audience, ask.tone, variant)
            made.append(DraftPublic.of(desk.draft(db, wanted, admin.email)))
    except CopyInvalid as error:
        raise _invalid(error) from error
    return made


@router.get("/api/console/copy/drafts")
def list_drafts(admin: CurrentAdmin, db: DbDep) -> list[DraftPublic]:
    """The drafts changed last, newest first."""
    return [DraftPublic.of(d) for d in recent_drafts(db)]


def _found(db: DbDep, draft_id: int) -> DraftView:
    try:
        return draft_view(db, draft_id)
    except DraftNotFound as error:
        raise HTTPException(404, detail=str(error)) from error


@router.get("/api/console/copy/drafts/{draft_id}")
def one_draft(draft_id: DraftId, admin: CurrentAdmin, db: DbDep) -> DraftPublic:
    """A draft and its history."""
    return DraftPublic.of(_found(db, draft_id))


@router.post("/api/console/copy/check")
def check_text(body: TextToCheck, admin: CurrentAdmin, request: Request) -> CheckPublic:
    """Checks an edited text against the products' data and the policies (nothing is saved)."""
    try:
        return CheckPublic.of(_desk(request).check(body.skus, body.text))
    except ValueError as error:
        raise _invalid(error) from error


@router.post("/api/console/copy/drafts/{draft_id}/versions")
def save_edit(
    draft_id: DraftId, body: EditedText, admin: CurrentAdmin, db: DbDep, request: Request
) -> DraftPublic:
    """Checks the edited text and saves it as the draft's newest version."""
    _found(db, draft_id)
    try:
        return DraftPublic.of(_desk(request).edit(db, draft_id, body.text, admin.email))
    except ValueError as error:
        raise _invalid(error) from error


@router.get("/api/console/copy/drafts/{draft_id}/export.{kind}")
def export(
    draft_id: DraftId, kind: Literal["csv", "json", "txt"], admin: CurrentAdmin, db: DbDep
) -> Response:
    """The draft and its versions as a download."""
    media = {"csv": "text/csv", "json": "application/json", "txt": "text/plain"}[kind]
    headers = {"Content-Disposition": f'attachment; filename="copy-draft-{draft_id}.{kind}"'}
    body = export_draft(_found(db, draft_id), kind)
    return Response(body, media_type=f"{media}; charset=utf-8", headers=headers)
