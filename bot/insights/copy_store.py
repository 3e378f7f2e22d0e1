"""Product-copy drafts in the app database: a draft with every saved version of its text (who,
when, how it was made, its grounding check), and their export as CSV, JSON or plain text."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.appdata.models import CopyDraft, CopyVersion
from bot.insights.copy_check import CopyCheck
from bot.insights.copy_writer import PURPOSES, CopyRequest

MAX_LISTED = 50


class DraftNotFound(LookupError):
    """No draft has this id."""


@dataclass(frozen=True)
class VersionView:
    """One saved text of a draft."""

    number: int
    text: str
    method: str
    note: str
    author: str
    created_at: datetime
    grounded: bool
    unsupported: int
    claims: list[dict[str, Any]]


@dataclass(frozen=True)
class DraftView:
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
    versions: list[VersionView]

    @property
    def latest(self) -> VersionView:
        """The newest version."""
        return self.versions[-1]


def _now() -> datetime:
    return datetime.now(UTC)


def _version(row: CopyVersion) -> VersionView:
    return VersionView(
        row.number,
        row.text,
        row.method,
        row.note,
        row.author,
        row.created_at,
        row.grounded,
        row.unsupported,
        row.claims,
    )


def draft_view(session: Session, draft_id: int) -> DraftView:
    """The draft ``draft_id`` with its versions.

    Raises:
        DraftNotFound: There is no such draft.
    """
    draft = session.get(CopyDraft, draft_id)
    if draft is None:
        raise DraftNotFound(f"no copy draft {draft_id}")
    rows = session.scalars(
        select(CopyVersion).where(CopyVersion.draft_id == draft_id).order_by(CopyVersion.number)
    )
    return DraftView(
        draft.id,
        list(draft.skus),
        draft.purpose,
        draft.audience,
        draft.tone,
        draft.variant,
        draft.created_by,
        draft.created_at,
        draft.updated_at,
        [_version(r) for r in rows],
    )


def _add_version(
    session: Session,
    draft: CopyDraft,
    text: str,
    method: str,
    note: str,
    author: str,
    check: CopyCheck,
) -> None:
    last = session.scalar(
        select(func.max(CopyVersion.number)).where(CopyVersion.draft_id == draft.id)
    )
    now = _now()
    session.add(
        CopyVersion(
            draft_id=draft.id,
            number=(last or 0) + 1,
            text=text,
            method=method,
            note=note,
            author=author,
            created_at=now,
            grounded=check.grounded,
            unsupported=check.unsupported,
            claims=[asdict(c) for c in check.claims],
        )
    )
    draft.updated_at = now
    session.flush()


def create_draft(
    session: Session,
    request: CopyRequest,
    author: str,
    text: str,
    method: str,
    note: str,
    check: CopyCheck,
) -> DraftView:
    """Saves a new draft of ``request`` with its first version (as written by ``method``)."""
    now = _now()
    draft = CopyDraft(
        skus=list(request.skus),
        purpose=request.purpose,
        audience=request.audience,
        tone=request.tone,
        variant=request.variant,
        created_by=author,
        created_at=now,
        updated_at=now,
    )
    session.add(draft)
    session.flush()
    _add_version(session, draft, text, method, note, author, check)
    return draft_view(session, draft.id)


def save_version(
    session: Session, draft_id: int, text: str, author: str, check: CopyCheck
) -> DraftView:
    """Saves ``text`` as the newest version of the draft, edited by ``author``.

    Raises:
        DraftNotFound: There is no such draft.
    """
    draft = session.get(CopyDraft, draft_id)
    if draft is None:
        raise DraftNotFound(f"no copy draft {draft_id}")
    _add_version(session, draft, text, "edited", f"edited by {author}", author, check)
    return draft_view(session, draft_id)


def recent_drafts(session: Session, limit: int = MAX_LISTED) -> list[DraftView]:
    """The drafts changed last, newest first."""
    ids = session.scalars(
        select(CopyDraft.id).order_by(CopyDraft.updated_at.desc(), CopyDraft.id.desc()).limit(limit)
    )
    return [draft_view(session, i) for i in ids]


def export_rows(draft: DraftView) -> list[dict[str, Any]]:
    """One row per version: the draft's fields, the version's, and its flagged sentences."""
    return [
        {
            "draft": draft.id,
            "version": v.number,
            "skus": " ".join(draft.skus),
            "purpose": draft.purpose,
            "audience": draft.audience,
            "tone": draft.tone,
            "variant": draft.variant,
            "method": v.method,
            "author": v.author,
            "saved_at": v.created_at.isoformat(),
            "grounded": v.grounded,
            "unsupported": v.unsupported,
            "flagged": " | ".join(c["text"] for c in v.claims if not c["supported"]),
            "text": v.text,
        }
        for v in draft.versions
    ]


def export_draft(draft: DraftView, kind: str) -> str:
    """The draft and its versions as ``csv``, ``json`` or ``txt`` (the newest text first, then
    the history).

    Raises:
        ValueError: ``kind`` is none of those.
    """
    rows = export_rows(draft)
    if kind == "json":
        data = {**asdict(draft), "versions": [asdict(v) for v in draft.versions]}
        return json.dumps(data, ensure_ascii=False, default=str, indent=2)
    if kind == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue()
    if kind == "txt":
        head = f"{PURPOSES[draft.purpose].label} for {draft.audience} ({draft.tone}, variant {draft.variant})"
        lines = [head, f"Products: {', '.join(draft.skus)}", "", draft.latest.text, ""]
        for v in reversed(draft.versions):
            flagged = f", {v.unsupported} flagged" if v.unsupported else ", grounded"
            lines += [
                f"--- version {v.number}: {v.method} by {v.author}, {v.created_at:%Y-%m-%d %H:%M} UTC{flagged}",
                v.text,
                "",
            ]
        return "\n".join(lines)
    raise ValueError(f"kind must be csv, json or txt; got {kind!r}")
