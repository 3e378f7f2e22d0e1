"""Handing conversations to people: when a conversation goes to a person and what the shopper is
told (:mod:`~bot.handoff.triggers`, :mod:`~bot.handoff.announcements`), the queue, agents and their
sessions, the transcript kept in the app database, help for the agent, and the calls to Rasa's
HTTP API that let an agent talk in the shopper's chat.

Nothing here imports ``rasa_sdk`` or :mod:`bot.conversation` (the conversation may use this
package, never the other way round); the actions call :mod:`bot.handoff.triggers` and the web
app's console (:mod:`bot.web.console`) calls the rest.
"""
