"""Knowledge gaps to fix: the questions the knowledge base could not answer, grouped by meaning.

Each new gap joins the open cluster whose centroid is nearest to its MiniLM vector when the cosine
similarity reaches :data:`SAME_MEANING`, else it starts a cluster of its own. A cluster marked
fixed leaves the list and takes no new questions: one asked again afterwards starts a new
cluster, because the fix did not answer it. A draft FAQ entry takes the cluster's first question
and, as its answer, the sentences of the nearest passages closest to that question; it stays
empty where no passage is confident enough to support an answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.appdata.knowledge_gaps import KnowledgeGap
from bot.insights.tables import GapCluster, GapMember
from bot.knowledge.chunking import sentences
from bot.knowledge.embedder import Embedder
from bot.knowledge.retrieve import Retriever

SAME_MEANING = 0.7  # cosine of two MiniLM question vectors that ask the same thing
EXAMPLES = 5
DRAFT_PASSAGES = 2
DRAFT_SENTENCES = 2


class ClusterNotFound(LookupError):
    """No open cluster has this id."""


@dataclass(frozen=True)
class ClusterView:
    """An open cluster as the dashboard lists it."""

    id: int
    label: str
    size: int
    examples: list[str]
    first_seen: datetime
    last_seen: datetime
    draft_question: str | None
    draft_answer: str | None
    draft_sources: list[dict[str, str | None]]


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector


def cluster_new_gaps(session: Session, embedder: Embedder, threshold: float = SAME_MEANING) -> int:
    """Puts every knowledge gap not yet in a cluster into one; returns how many it placed.

    Raises:
        ValueError: ``threshold`` is not between 0 and 1.
    """
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be in (0, 1]. Currently, threshold is {threshold}")
    placed = select(GapMember.gap_id)
    new = list(
        session.scalars(
            select(KnowledgeGap).where(KnowledgeGap.id.not_in(placed)).order_by(KnowledgeGap.id)
        )
    )
    if not new:
        return 0
    clusters = list(session.scalars(select(GapCluster).where(GapCluster.fixed_at.is_(None))))
    centroids = [np.asarray(c.centroid, dtype=np.float32) for c in clusters]
    vectors = embedder.encode([gap.question for gap in new])
    for gap, vector in zip(new, vectors, strict=True):
        scores = [float(np.dot(vector, centroid)) for centroid in centroids]
        best = int(np.argmax(scores)) if scores else -1
        if best >= 0 and scores[best] >= threshold:
            cluster = clusters[best]
            centroids[best] = _unit(centroids[best] * cluster.size + vector)
            cluster.centroid = [float(x) for x in centroids[best]]
            cluster.size += 1
            cluster.first_seen = min(cluster.first_seen, gap.created_at)
            cluster.last_seen = max(cluster.last_seen, gap.created_at)
        else:
            cluster = GapCluster(
                label=gap.question,
                size=1,
                first_seen=gap.created_at,
                last_seen=gap.created_at,
                centroid=[float(x) for x in vector],
            )
            session.add(cluster)
            clusters.append(cluster)
            centroids.append(np.asarray(vector, dtype=np.float32))
        session.flush()
        session.add(GapMember(gap_id=gap.id, cluster_id=cluster.id))
    session.flush()
    return len(new)


def _view(session: Session, cluster: GapCluster) -> ClusterView:
    questions = session.scalars(
        select(KnowledgeGap.question)
        .join(GapMember, GapMember.gap_id == KnowledgeGap.id)
        .where(GapMember.cluster_id == cluster.id)
        .order_by(KnowledgeGap.created_at.desc(), KnowledgeGap.id.desc())
    )
    examples = list(dict.fromkeys(questions))[:EXAMPLES]
    return ClusterView(
        id=cluster.id,
        label=cluster.label,
        size=cluster.size,
        examples=examples,
        first_seen=cluster.first_seen,
        last_seen=cluster.last_seen,
        draft_question=cluster.draft_question,
        draft_answer=cluster.draft_answer,
        draft_sources=list(cluster.draft_sources or []),
    )


def open_clusters(session: Session, limit: int = 50) -> list[ClusterView]:
    """The clusters not fixed yet, the largest first (the most recent among equals)."""
    rows = session.scalars(
        select(GapCluster)
        .where(GapCluster.fixed_at.is_(None))
        .order_by(GapCluster.size.desc(), GapCluster.last_seen.desc(), GapCluster.id)
        .limit(limit)
    )
    return [_view(session, row) for row in rows]


def _open(session: Session, cluster_id: int) -> GapCluster:
    cluster = session.get(GapCluster, cluster_id)
    if cluster is None or cluster.fixed_at is not None:
        raise ClusterNotFound(f"no open knowledge-gap cluster {cluster_id}")
    return cluster


def draft_faq(
    session: Session, cluster_id: int, retriever: Retriever, embedder: Embedder
) -> ClusterView:
    """Writes a proposed FAQ entry for a cluster from the passages nearest its first question.

    The answer is the passage sentences closest to the question (at most
    :data:`DRAFT_SENTENCES`), never generated text; it is empty when no passage is confident.

    Raises:
        ClusterNotFound: The cluster does not exist or is fixed.
    """
    cluster = _open(session, cluster_id)
    found = retriever.retrieve(cluster.label, k=DRAFT_PASSAGES)
    candidates = [(hit, text) for hit in found for text in sentences(hit.passage.text)]
    answer, sources = "", []
    if candidates:
        vectors = embedder.encode([cluster.label] + [text for _, text in candidates])
        scores = vectors[1:] @ vectors[0]
        order = sorted(range(len(candidates)), key=lambda i: -float(scores[i]))[:DRAFT_SENTENCES]
        chosen = sorted(order)  # in the passages' own order
        answer = " ".join(candidates[i][1] for i in chosen)
        used = dict.fromkeys(candidates[i][0].passage for i in chosen)
        sources = [{"id": p.id, "title": p.title, "url": p.url} for p in used]
    cluster.draft_question = cluster.label
    cluster.draft_answer = answer
    cluster.draft_sources = sources
    session.flush()
    return _view(session, cluster)


def mark_fixed(session: Session, cluster_id: int, now: datetime | None = None) -> None:
    """Marks a cluster as fixed: it leaves the list and takes no new questions.

    Raises:
        ClusterNotFound: The cluster does not exist or is fixed already.
    """
    _open(session, cluster_id).fixed_at = now or datetime.now(UTC)
    session.flush()
