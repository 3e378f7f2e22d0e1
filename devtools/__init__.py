"""Tools that run the project's real parts outside production, shared by the tests and the
benchmarks: :mod:`devtools.servers` starts the action server, Rasa and the web app on free
ports; :mod:`devtools.console` makes agents and queued conversations for the handoff console;
:mod:`devtools.demo` finds the demo orders of a seeded shop database.

Importable once the project is installed in the environment (``scripts/setup.sh`` runs
``pip install -e . --no-deps``), so a benchmark started as ``.venv/bin/python benchmarks/x.py``
needs no change to ``sys.path``.
"""
