"""The embeddable chat widget's files: ``/widget/fernhill-chat.js`` (the one script a page
includes), its CSS and ES modules, and the socket.io client installed by ``npm ci``."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse

from bot.settings import PROJECT_ROOT

WIDGET_DIR = Path(__file__).parent / "widget"
# Modules the widget shares with the console (served at /shared/, imported as ../../shared/…).
SHARED_DIR = Path(__file__).parent / "shared"
SOCKET_IO_CLIENT = (
    PROJECT_ROOT / "node_modules" / "socket.io-client" / "dist" / "socket.io.esm.min.js"
)

router = APIRouter(prefix="/widget", tags=["widget"])


@router.get("/vendor/socket.io.esm.min.js", include_in_schema=False)
async def socket_io_client() -> FileResponse:
    """The socket.io client (ES module) from ``node_modules`` (``npm ci`` in scripts/setup.sh)."""
    if not SOCKET_IO_CLIENT.is_file():
        raise HTTPException(
            503, detail="The socket.io client is not installed; run scripts/setup.sh (npm ci)."
        )
    return FileResponse(SOCKET_IO_CLIENT, media_type="text/javascript")
