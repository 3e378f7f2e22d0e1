"""Rasa's own checks: the training data validates and every test story is predicted correctly."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from devtools.servers import RASA_BIN, ROOT

pytestmark = pytest.mark.integration
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "SQLALCHEMY_SILENCE_UBER_WARNING": "1"}


def test_rasa_data_validate_passes() -> None:
    result = subprocess.run(
        [
            str(RASA_BIN),
            "data",
            "validate",
            "--domain",
            "domain",
            "--data",
            "data",
            "--config",
            "config.yml",
        ],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "No story structure conflicts found" in result.stdout + result.stderr


def test_test_stories_pass(trained_model: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [
            str(RASA_BIN),
            "test",
            "core",
            "--model",
            str(trained_model),
            "--stories",
            "tests/stories",
            "--out",
            str(tmp_path),
            "--fail-on-prediction-errors",
        ],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=900,
    )
    failed = tmp_path / "failed_test_stories.yml"
    details = failed.read_text() if failed.exists() else ""
    assert result.returncode == 0, details + result.stdout[-3000:] + result.stderr[-3000:]
    assert "none of the test stories failed" in details.lower() or not details.strip(" \n#")
