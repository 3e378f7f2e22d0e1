"""``/api/console/insights/gaps``: the knowledge gaps to fix, for admins: group the new ones by
meaning, list the open clusters, draft an FAQ entry for one, mark one as fixed. The MiniLM
embedder and the index are the process-wide retriever's (loaded on first use)."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path
from pydantic import BaseModel, Field

from bot.insights.gaps import (
    ClusterNotFound,
    ClusterView,
    cluster_new_gaps,
    draft_faq,
    mark_fixed,
    open_clusters,
)
from bot.insights.publish import DraftInvalid, publish_faq
from bot.insights.tables import GapCluster
from bot.knowledge.errors import KnowledgeError
from bot.knowledge.retrieve import HybridRetriever
from bot.web.console.deps import CurrentAdmin, DbDep

router = APIRouter(prefix="/api/console/insights/gaps", tags=["console"])
ClusterId = Annotated[int, Path(ge=1, le=2**63 - 1, description="An open cluster's id")]


class SourcePublic(BaseModel):
    """A passage a draft rests on."""

    id: str | None
    title: str | None
    url: str | None


class ClusterPublic(BaseModel):
    """An open cluster of unanswered questions and its draft FAQ entry (if drafted)."""

    id: int
    label: str
    size: int
    examples: list[str]
    first_seen: datetime
    last_seen: datetime
    draft_question: str | None
    draft_answer: str | None
    draft_sources: list[SourcePublic]

    @classmethod
    def of(cls, view: ClusterView) -> ClusterPublic:
        """The public form of a cluster view."""
        return cls(
            **{**view.__dict__, "draft_sources": [SourcePublic(**s) for s in view.draft_sources]}
        )


class Clustered(BaseModel):
    """How many new questions were placed in clusters."""

    placed: int


def _retriever() -> HybridRetriever:
    from bot.knowledge.service import get_holder

    try:
        return get_holder().get()
    except KnowledgeError as error:
        raise HTTPException(503, detail=f"The knowledge base is unavailable: {error}") from error


@router.get("")
def list_clusters(admin: CurrentAdmin, db: DbDep) -> list[ClusterPublic]:
    """The open clusters, the largest first."""
    return [ClusterPublic.of(view) for view in open_clusters(db)]


@router.post("/cluster")
async def cluster_gaps(admin: CurrentAdmin, db: DbDep) -> Clustered:
    """Puts the questions asked since the last grouping into clusters."""
    retriever = await asyncio.to_thread(_retriever)
    placed = await asyncio.to_thread(cluster_new_gaps, db, retriever.embedder)
    return Clustered(placed=placed)


@router.post("/{cluster_id}/draft")
async def draft_entry(cluster_id: ClusterId, admin: CurrentAdmin, db: DbDep) -> ClusterPublic:
    """Drafts an FAQ entry for a cluster from the nearest passages (empty where none supports
    it), for an admin to edit and publish."""
    if db.get(GapCluster, cluster_id) is None:
        raise HTTPException(404, detail=f"no open knowledge-gap cluster {cluster_id}")
    retriever = await asyncio.to_thread(_retriever)
    try:
        view = await asyncio.to_thread(draft_faq, db, cluster_id, retriever, retriever.embedder)
    except ClusterNotFound as error:
        raise HTTPException(404, detail=str(error)) from error
    return ClusterPublic.of(view)


@router.post("/{cluster_id}/fixed", status_code=204)
def fixed(cluster_id: ClusterId, admin: CurrentAdmin, db: DbDep) -> None:
    """Marks a cluster as fixed: it leaves the list."""
    try:
        mark_fixed(db, cluster_id)
    except ClusterNotFound as error:
        raise HTTPException(404, detail=str(error)) from error


class DraftEdit(BaseModel):
    """The question and answer as the admin edited them."""

    question: str = Field(max_length=2000)
    answer: str = Field(max_length=10000)


class PublishedPublic(BaseModel):
    """Where the entry went and which processes loaded the rebuilt index."""

    faq_id: str
    line: int
    passages: int
    embedded: int
    web_generation: int
    action_server: str


@router.post("/{cluster_id}/publish")
async def publish(
    cluster_id: ClusterId, edit: DraftEdit, admin: CurrentAdmin, db: DbDep
) -> PublishedPublic:
    """Publishes the edited entry into the knowledge base's FAQ file, rebuilds the index
    incrementally, reloads this app's and the action server's retriever, and marks the cluster
    fixed."""
    from bot.knowledge.service import get_holder
    from bot.settings import get_settings

    try:
        mark_fixed(db, cluster_id)
    except ClusterNotFound as error:
        raise HTTPException(404, detail=str(error)) from error
    retriever = await asyncio.to_thread(_retriever)
    try:
        report = await asyncio.to_thread(
            publish_faq,
            get_settings(),
            get_holder(),
            retriever.embedder,
            edit.question,
            edit.answer,
        )
    except DraftInvalid as error:
        raise HTTPException(422, detail=str(error)) from error
    except (KnowledgeError, OSError) as error:
        raise HTTPException(503, detail=f"The knowledge base was not rebuilt: {error}") from error
    cluster = db.get(GapCluster, cluster_id)
    if cluster is not None:
        cluster.draft_question, cluster.draft_answer = edit.question, edit.answer
    return PublishedPublic(**report.__dict__)
