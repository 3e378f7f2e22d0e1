"""``/console``: the agents' console page (the script talks to ``/api/console``)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

CONSOLE_DIR = Path(__file__).resolve().parent / "static"
router = APIRouter(tags=["console"])
# The page runs only its own script and style; nothing may frame it.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; "
    "script-src 'self'; connect-src 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


@router.get("/console", include_in_schema=False)
def console_page() -> FileResponse:
    """The console's single page."""
    return FileResponse(CONSOLE_DIR / "console.html", headers=SECURITY_HEADERS)
