"""Pipelines of the NLU benchmark (``benchmarks/nlu.py``): Rasa's default for English, the
project's (config.yml) or a config file, with ``:``-separated modifiers (see nlu.py)."""

from __future__ import annotations

import argparse
import copy
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

DEFAULT_PIPELINE: list[dict[str, Any]] = [
    {"name": "WhitespaceTokenizer"},
    {"name": "RegexFeaturizer"},
    {"name": "LexicalSyntacticFeaturizer"},
    {"name": "CountVectorsFeaturizer"},
    {"name": "CountVectorsFeaturizer", "analyzer": "char_wb", "min_ngram": 1, "max_ngram": 4},
    {"name": "DIETClassifier", "epochs": 100},
    {"name": "EntitySynonymMapper"},
    {"name": "ResponseSelector", "epochs": 100},
    {"name": "FallbackClassifier", "threshold": 0.3, "ambiguity_threshold": 0.1},
]


def yaml_io():
    from ruamel.yaml import YAML

    y = YAML(typ="safe", pure=True)
    y.default_flow_style = False
    return y


def _matches(component: dict[str, Any], name: str) -> bool:
    full = str(component.get("name", ""))
    return full == name or full.split(".")[-1] == name or full.endswith(name)


def resolve_pipeline(spec: str, args: argparse.Namespace) -> dict[str, Any]:
    """Turns a pipeline spec into {'name', 'pipeline'} (see the module docstring)."""
    # split on ":" only where a modifier starts, so YAML values may contain ":"
    base, *mods = re.split(r":(?=-[A-Za-z_]|[A-Za-z_][\w]*\.[\w]+=)", spec)
    if base == "default":
        pipeline = copy.deepcopy(DEFAULT_PIPELINE)
    else:
        path = Path(args.project_config if base == "project" else base)
        config = yaml_io().load(path.read_text(encoding="utf-8")) or {}
        pipeline = copy.deepcopy(config.get("pipeline") or [])
        if not pipeline:
            raise SystemExit(f"{path} has no pipeline")
    for mod in mods:
        if mod.startswith("-"):
            target = mod[1:]
            before = len(pipeline)
            pipeline = [c for c in pipeline if not _matches(c, target)]
            if len(pipeline) == before:
                raise SystemExit(f"{spec}: no component matches {target!r}")
        elif "=" in mod and "." in mod.split("=", 1)[0]:
            lhs, value = mod.split("=", 1)
            target, key = lhs.rsplit(".", 1)
            hits = [c for c in pipeline if _matches(c, target)]
            if not hits:
                raise SystemExit(f"{spec}: no component matches {target!r}")
            parsed = yaml_io().load(value)
            for c in hits:
                c[key] = parsed
        else:
            raise SystemExit(f"{spec}: cannot read modifier {mod!r}")
    for c in pipeline:
        short = str(c.get("name", "")).split(".")[-1]
        if short in ("DIETClassifier", "ResponseSelector"):
            if args.epochs is not None:
                c["epochs"] = args.epochs
            if args.diet_seed is not None:
                c.setdefault("random_seed", args.diet_seed)
    return {"name": spec, "pipeline": pipeline}


def fallback_settings(pipeline: Sequence[dict[str, Any]]) -> tuple[float, float] | None:
    for c in pipeline:
        if str(c.get("name", "")).split(".")[-1] == "FallbackClassifier":
            return float(c.get("threshold", 0.3)), float(c.get("ambiguity_threshold", 0.1))
    return None
