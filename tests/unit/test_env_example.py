"""``.env.example`` lists every setting a shop can change: the assistant's settings, the scaled
profile's and the analytics consumer's, each with its default."""

from __future__ import annotations

import re

import pytest

from bot.scale.profile import DEFAULTS as SCALED_DEFAULTS
from bot.settings import PROJECT_ROOT, Settings, setting_default

pytestmark = pytest.mark.unit

INSIGHTS = (
    "FERNHILL_INSIGHTS_BROKER_URL",
    "FERNHILL_INSIGHTS_QUEUE",
    "FERNHILL_INSIGHTS_EVENT_LOG_URL",
)


def listed() -> dict[str, str]:
    """Each setting in the file (commented or not) with the value written beside it."""
    text = (PROJECT_ROOT / ".env.example").read_text(encoding="utf-8")
    return {
        m.group(1): m.group(2).strip()
        for m in re.finditer(r"(?m)^#? ?([A-Z][A-Z0-9_]+)=(.*)$", text)
    }


def test_every_setting_is_listed():
    names = {f"FERNHILL_{field.upper()}" for field in Settings.model_fields}
    missing = (names | set(SCALED_DEFAULTS) | set(INSIGHTS)) - set(listed())
    assert not missing, f"add to .env.example: {sorted(missing)}"


def test_the_scaled_profile_is_listed_with_its_defaults():
    values = listed()
    assert {name: values[name] for name in SCALED_DEFAULTS} == SCALED_DEFAULTS


@pytest.mark.parametrize(
    "field", ["retrieval_min_confidence", "answer_mode", "generator_model", "handoff_availability"]
)
def test_uncommented_values_are_the_defaults(field):
    assert listed()[f"FERNHILL_{field.upper()}"] == str(setting_default(field))
