"""Starts the scaled profile's processes on this machine (the replicas of the plan, then nginx in
front of them), waits until each answers, and stops them all when one dies or on Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.scale.balancer import write_nginx_config
from bot.scale.profile import Replica, ScaledProfile

PROJECT_ROOT = Path(__file__).resolve().parents[2]
READY_SECONDS = {"actions": 300.0, "rasa": 300.0, "web": 60.0}


@dataclass
class Running:
    """A started process and its log."""

    name: str
    process: subprocess.Popen[bytes]
    log: Path


def say(text: str) -> None:
    """A line of progress, in the style of the project's shell scripts."""
    print(f"\033[1;34m[fernhill]\033[0m {text}", flush=True)


def answers(url: str) -> bool:
    """Whether ``url`` answers 2xx now."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (local URL)
            return 200 <= int(response.status) < 300
    except (urllib.error.URLError, OSError):
        return False


def wait_ready(url: str, running: Running, seconds: float) -> None:
    """Polls ``url`` until it answers; raises with the log's tail if the process dies first."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if running.process.poll() is not None:
            tail = running.log.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"{running.name} exited while starting:\n{tail}")
        if answers(url):
            return
        time.sleep(0.5)
    raise TimeoutError(f"{running.name} did not answer at {url} within {seconds:.0f} s")


def start(name: str, argv: list[str], env: Mapping[str, str], run_dir: Path) -> Running:
    """Starts ``argv`` in the project folder, output to ``run_dir/<name>.log``."""
    log = run_dir / f"{name}.log"
    process = subprocess.Popen(
        argv, cwd=PROJECT_ROOT, env=dict(env), stdout=log.open("w"), stderr=subprocess.STDOUT
    )
    (run_dir / f"{name}.pid").write_text(f"{process.pid}\n")
    return Running(name, process, log)


def command_line(replica: Replica, env: Mapping[str, str]) -> list[str]:
    """The replica's command with ``${NAME}`` settings filled in from ``env``."""
    return [os.path.expandvars(part) if "${" in part else part for part in replica.argv]


def stop_all(running: list[Running]) -> None:
    """Terminates every process (nginx and the replicas), then kills what is left after 15 s."""
    for item in reversed(running):
        if item.process.poll() is None:
            item.process.terminate()
    deadline = time.monotonic() + 15
    for item in running:
        try:
            item.process.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            item.process.kill()
            item.process.wait()
        (item.log.parent / f"{item.name}.pid").unlink(missing_ok=True)


def nginx_command(config: Path) -> list[str]:
    """nginx's command line for ``config``: absolute paths, since nginx reads a relative ``-c``
    from its prefix (``-p``) and would look for ``.run/scaled/nginx/.run/scaled/nginx/…``)."""
    config = config.resolve()
    return ["nginx", "-p", str(config.parent), "-c", str(config)]


def run(profile: ScaledProfile, env: Mapping[str, str], run_dir: Path, public_address: str) -> int:
    """Starts everything, waits, stops everything; the exit code of the run."""
    run_dir.mkdir(parents=True, exist_ok=True)
    (run_dir / "supervisor.pid").write_text(f"{os.getpid()}\n")
    os.environ.update(env)  # ${FERNHILL_RASA_TOKEN} in the command lines
    running: list[Running] = []

    def on_signal(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt  # Ctrl-C and `make stop` (SIGTERM) stop the run alike

    signal.signal(signal.SIGTERM, on_signal)
    t0 = time.monotonic()
    try:
        for role in ("actions", "rasa", "web"):
            started = [
                (replica, start(replica.name, command_line(replica, env), env, run_dir))
                for replica in profile.replicas()
                if replica.role == role
            ]
            running += [item for _, item in started]
            for replica, item in started:
                wait_ready(
                    f"http://127.0.0.1:{replica.port}{replica.health}", item, READY_SECONDS[role]
                )
                say(f"{replica.name} is ready on port {replica.port}")
        config = write_nginx_config(profile, run_dir / "nginx", public_address)
        nginx = start("nginx", nginx_command(config), env, run_dir)
        running.append(nginx)
        public = f"http://{public_address}:{profile['FERNHILL_PUBLIC_PORT']}"
        wait_ready(f"{public}/health", nginx, 30)
        say(f"all services ready in {time.monotonic() - t0:.0f} s")
        say(f"chat with the assistant: {public}/ (console: {public}/console)")
        say(f"logs: {run_dir}/*.log — press Ctrl-C to stop")
        while True:
            dead = [item for item in running if item.process.poll() is not None]
            if dead:
                say(f"{dead[0].name} stopped unexpectedly; see {dead[0].log}")
                return 1
            time.sleep(0.5)
    except KeyboardInterrupt:
        return 0
    except (RuntimeError, TimeoutError) as error:
        print(f"\033[1;31m[fernhill]\033[0m {error}", file=sys.stderr)
        return 1
    finally:
        say("stopping…")
        stop_all(running)
        (run_dir / "supervisor.pid").unlink(missing_ok=True)
        say("stopped")
