"""``/api/console/insights``: the conversation analytics for admins (the report, its tables as
CSV or JSON, a conversation's transcript from the tracker store, and an update from the newest
events) and ``/console/insights``, the dashboard page that draws them with Chart.js."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, FastAPI, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, Response
from sqlalchemy import Engine, create_engine, inspect

from bot.insights.filters import Granularity, InsightFilter
from bot.insights.refresh import update_insights
from bot.insights.report import InsightReport, build_report, report_tables
from bot.insights.tracker_events import DEFAULT_TRACKER_URL, TranscriptLine, transcript
from bot.privacy.masking import mask_value
from bot.settings import PROJECT_ROOT
from bot.web.console import insights_gaps
from bot.web.console.deps import CurrentAdmin, DbDep
from bot.web.console.page import CONSOLE_DIR, SECURITY_HEADERS

CHART_JS = PROJECT_ROOT / "node_modules" / "chart.js" / "dist" / "chart.umd.min.js"

router = APIRouter(tags=["console"])


@dataclass
class InsightsState:
    """Where the dashboard reads Rasa's events (the tracker store's engine, made on first use)."""

    tracker_url: str = DEFAULT_TRACKER_URL
    _engine: Engine | None = None

    def tracker(self) -> Engine:
        """The tracker store's engine; 503 when it holds no events table yet."""
        if self._engine is None or str(self._engine.url) != self.tracker_url:
            self._engine = create_engine(self.tracker_url)
        if not inspect(self._engine).has_table("events"):
            raise HTTPException(503, detail="The tracker store holds no Rasa events yet")
        return self._engine


def add_insights(app: FastAPI, tracker_url: str = DEFAULT_TRACKER_URL) -> None:
    """Adds the dashboard's page and API to ``app`` (state in ``app.state.insights``)."""
    app.state.insights = InsightsState(tracker_url)
    app.include_router(router)
    app.include_router(insights_gaps.router)


def _state(request: Request) -> InsightsState:
    state: InsightsState = request.app.state.insights
    return state


def _filter(since: date | None, until: date | None, channel: str | None) -> InsightFilter:
    try:
        return InsightFilter(since, until, channel or None)
    except ValueError as error:
        raise HTTPException(422, detail=str(error)) from error


SinceQuery = Annotated[date | None, Query(description="First UTC day (YYYY-MM-DD)")]
UntilQuery = Annotated[date | None, Query(description="Last UTC day (YYYY-MM-DD)")]
ChannelQuery = Annotated[str | None, Query(max_length=64, description="One channel, or all")]
GranularityQuery = Annotated[Literal["day", "week"], Query(description="Bucket of the series")]


@router.get("/console/insights", include_in_schema=False)
def insights_page() -> FileResponse:
    """The dashboard page (it signs in through the console's API)."""
    return FileResponse(CONSOLE_DIR / "insights.html", headers=SECURITY_HEADERS)


@router.get("/console/vendor/chart.umd.min.js", include_in_schema=False)
def chart_js() -> FileResponse:
    """Chart.js from ``node_modules`` (``npm ci`` in scripts/setup.sh), never from a CDN."""
    if not CHART_JS.is_file():
        raise HTTPException(503, detail="Chart.js is not installed; run scripts/setup.sh (npm ci).")
    return FileResponse(CHART_JS, media_type="text/javascript")


@router.get("/api/console/insights", response_model=InsightReport)
def insights_report(
    admin: CurrentAdmin,
    db: DbDep,
    since: SinceQuery = None,
    until: UntilQuery = None,
    channel: ChannelQuery = None,
    granularity: GranularityQuery = "day",
) -> Response:
    """Every measure of the conversations in the period and channel (admins only). The report is
    typed where it is built; it is sent as is, not validated again field by field."""
    g: Granularity = granularity
    report = build_report(db, _filter(since, until, channel), g)
    return Response(_json(report), media_type="application/json")


@router.get("/api/console/insights/export/{table}.{kind}")
def export_table(
    table: str,
    kind: Literal["csv", "json"],
    admin: CurrentAdmin,
    db: DbDep,
    since: SinceQuery = None,
    until: UntilQuery = None,
    channel: ChannelQuery = None,
    granularity: GranularityQuery = "day",
) -> Response:
    """One table of the report as a CSV or JSON download (admins only)."""
    tables = report_tables(build_report(db, _filter(since, until, channel), granularity))
    if table not in tables:
        raise HTTPException(404, detail=f"No table {table!r}; there are: {', '.join(tables)}")
    rows = mask_value(tables[table])  # comments and questions may hold e-mails, phones…
    headers = {"Content-Disposition": f'attachment; filename="insights-{table}.{kind}"'}
    if kind == "json":
        return Response(_json(rows), media_type="application/json", headers=headers)
    return Response(_csv(rows), media_type="text/csv; charset=utf-8", headers=headers)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _csv(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    columns = list(dict.fromkeys(key for row in rows for key in row))
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


@router.get("/api/console/insights/transcripts/{session_id}")
def conversation_transcript(
    session_id: str, admin: CurrentAdmin, request: Request
) -> list[TranscriptLine]:
    """A conversation's messages from the tracker store (admins only; 404 when it has none)."""
    with _state(request).tracker().connect() as connection:
        lines = transcript(connection, session_id)
    if not lines:
        raise HTTPException(404, detail="No messages of this conversation in the tracker store")
    return lines


@router.post("/api/console/insights/update")
async def update_from_events(admin: CurrentAdmin, request: Request) -> dict[str, float | int]:
    """Reads the events that arrived since the last update (admins only)."""
    state = _state(request)
    engine = request.app.state.app_sessions.kw["bind"]
    done = await run_in_threadpool(update_insights, engine, state.tracker())
    return {"events": done.events, "conversations": done.conversations, "seconds": done.seconds}
