"""Handing conversations to people: the queue, agents and their sessions, the transcript kept in
the app database, and the calls to Rasa's HTTP API that let an agent talk in the shopper's chat.

Nothing here imports ``rasa_sdk``; the actions call :mod:`bot.handoff.queue` and the web app's
console (:mod:`bot.web.console`) calls the rest.
"""
