"""The layers of ``bot`` import one way only and ``bot`` never imports Rasa: the import-linter
contracts in ``pyproject.toml``, checked with ``lint-imports`` on the code as it is, and on a
copy with violating imports added so that a contract that checks nothing cannot pass."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(project: Path) -> subprocess.CompletedProcess[str]:
    """Runs ``lint-imports`` on the ``bot`` package in ``project`` with its contracts."""
    # ``bot`` is found in ``project`` first, also where the project is installed in the environment.
    env = {**os.environ, "PYTHONPATH": str(project)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def copy_bot_sources(target: Path) -> None:
    """Copies the Python files of ``bot`` and the contracts to ``target``."""
    for source in (ROOT / "bot").rglob("*.py"):
        destination = target / source.relative_to(ROOT)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)
    shutil.copyfile(ROOT / "pyproject.toml", target / "pyproject.toml")


def add_line(path: Path, line: str) -> None:
    """Appends ``line`` to the module at ``path``."""
    path.write_text(f"{path.read_text()}\n{line}\n")


def test_the_import_contracts_are_kept():
    assert LINT_IMPORTS.exists(), f"lint-imports is not installed next to {sys.executable}"
    result = lint_imports(ROOT)
    assert result.returncode == 0, f"lint-imports failed:\n{result.stdout}\n{result.stderr}"
    assert "0 broken" in result.stdout


def test_the_contracts_catch_an_upward_import_and_rasa(tmp_path: Path):
    copy_bot_sources(tmp_path)
    add_line(tmp_path / "bot" / "knowledge" / "passages.py", "import bot.conversation.order_tasks")
    add_line(tmp_path / "bot" / "handoff" / "queue.py", "import bot.conversation.order_tasks")
    add_line(tmp_path / "bot" / "settings.py", "import rasa_sdk")

    result = lint_imports(tmp_path)

    assert result.returncode != 0, result.stdout
    assert "bot.knowledge is not allowed to import bot.conversation" in result.stdout
    assert "bot.handoff is not allowed to import bot.conversation" in result.stdout
    assert "bot.settings -> rasa_sdk" in result.stdout
    assert "Contracts: 0 kept, 3 broken." in result.stdout
