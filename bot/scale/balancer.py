"""The load balancer's configuration (nginx), written from the plan of the scaled profile."""

from __future__ import annotations

import re
from pathlib import Path

from bot.scale.profile import Role, ScaledProfile

PROJECT_ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = PROJECT_ROOT / "deploy" / "nginx" / "nginx.conf.template"


def _servers(profile: ScaledProfile, role: Role) -> str:
    ports = [r.port for r in profile.replicas() if r.role == role]
    return "\n".join(
        f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;" for port in ports
    )


def nginx_config(profile: ScaledProfile, run_dir: Path, public_address: str = "127.0.0.1") -> str:
    """nginx.conf for ``profile``: its replicas as upstreams, temporary files under ``run_dir``."""
    text = TEMPLATE.read_text()
    for key, value in {
        "@RASA_SERVERS@": _servers(profile, "rasa"),
        "@ACTION_SERVERS@": _servers(profile, "actions"),
        "@WEB_SERVERS@": _servers(profile, "web"),
        "@RUN_DIR@": str(run_dir.resolve()),
        "@PUBLIC_ADDRESS@": public_address,
        "@PUBLIC_PORT@": profile["FERNHILL_PUBLIC_PORT"],
        "@RASA_PORT@": profile["FERNHILL_RASA_PORT"],
        "@ACTION_PORT@": profile["FERNHILL_ACTION_PORT"],
    }.items():
        text = text.replace(key, value)
    if re.search(r"@[A-Z_]+@", text):
        raise ValueError(f"{TEMPLATE} has a placeholder this version does not fill in")
    return text


def write_nginx_config(profile: ScaledProfile, run_dir: Path, public_address: str) -> Path:
    """Writes ``run_dir/nginx.conf`` (and the folders nginx keeps temporary files in)."""
    run_dir.mkdir(parents=True, exist_ok=True)
    for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (run_dir / name).mkdir(exist_ok=True)
    path = run_dir / "nginx.conf"
    path.write_text(nginx_config(profile, run_dir, public_address))
    return path
