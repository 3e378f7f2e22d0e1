"""Alembic migrations of the app database: ``env.py``, the revisions in ``versions/`` (one file
each, oldest ``0001_baseline.py``) and the template of new ones (``script.py.mako``).

Applied by :func:`bot.appdata.migrate.upgrade_app_database`; developers may also use the
``alembic`` command line with the project's ``alembic.ini``, whose ``table_modules`` option names
the modules that declare tables on :class:`bot.appdata.base.AppBase` (the handoff console's among
them, which this package must not import: bot.handoff is the layer above).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import MetaData

from bot.appdata.base import AppBase

MIGRATIONS_DIR = Path(__file__).resolve().parent


def app_metadata(table_modules: Iterable[str] = ()) -> MetaData:
    """The metadata of the app tables, after importing the modules that declare them.

    Args:
        table_modules: Dotted names of the modules whose tables must be included (what
            autogenerate and the schema check compare a database with).
    """
    for name in table_modules:
        importlib.import_module(name)
    return AppBase.metadata
