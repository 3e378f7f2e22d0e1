"""Replacing a whole folder at once, so that readers see the old or the new one, never half."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(first: Path, second: Path) -> bool:
    """Swaps two paths in one step (Linux ``renameat2``); False where it is not available."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    return bool(result == 0)


def replace_folder(new: Path, target: Path) -> None:
    """Puts the folder ``new`` in place of ``target`` (which may not exist) and removes the old.

    On Linux the two folders are exchanged in one system call; elsewhere the old folder is
    renamed aside first, which leaves a moment where ``target`` is missing.
    """
    if not target.exists():
        os.replace(new, target)
        return
    if _exchange(new, target):
        shutil.rmtree(new, ignore_errors=True)  # ``new`` now holds the old contents
        return
    aside = target.with_name(f".{target.name}.old-{os.getpid()}")
    os.replace(target, aside)
    os.replace(new, target)
    shutil.rmtree(aside, ignore_errors=True)


@contextmanager
def folder_writer(target: Path) -> Iterator[Path]:
    """A temporary folder beside ``target``; when the block succeeds it replaces ``target``.

    If the block raises, the temporary folder is removed and ``target`` is untouched.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    os.chmod(temporary, 0o755)
    try:
        yield temporary
        for name in os.listdir(temporary):
            with open(temporary / name, "rb") as handle:
                os.fsync(handle.fileno())
        replace_folder(temporary, target)
    finally:
        if temporary.exists():
            shutil.rmtree(temporary, ignore_errors=True)
