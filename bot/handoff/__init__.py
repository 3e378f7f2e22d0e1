"""Handing conversations to people: when a conversation goes to a person and what the shopper is
told (:mod:`~bot.handoff.triggers`, :mod:`~bot.handoff.announcements`), the queue, agents and their
sessions, the transcript kept in the app database, help for the agent, and the calls to Rasa's
HTTP API that let an agent talk in the shopper's chat.

Nothing here imports ``rasa_sdk``. The conversation (:mod:`bot.conversation`) may use this
package, never the other way round: the one exception is the
:class:`~bot.messages.replies.Reply` that :func:`~bot.handoff.triggers.hand_over` returns,
listed in the import contracts of ``pyproject.toml``. The actions call
:mod:`bot.handoff.triggers`; the web app's console (:mod:`bot.web.console`) calls the rest.
"""
