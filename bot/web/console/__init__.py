"""The agents' handoff console: the page at ``/console`` and its API under ``/api/console``."""
