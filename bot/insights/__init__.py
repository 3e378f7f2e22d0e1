"""Insight for the shop team: conversation analytics computed from Rasa's tracker events and the
app database.

- :mod:`bot.insights.tables`: the analytics tables of the app database (a cursor, one tally row
  per conversation, its intents and products).
- :mod:`bot.insights.tracker_events`: reads new events from Rasa's SQL tracker store.
- :mod:`bot.insights.tally`: folds one conversation's events into its tally (pure).
- :mod:`bot.insights.refresh`: incremental update from the cursor, and the rebuild from scratch.
- :mod:`bot.insights.measures`: the measures per day or week and channel (definitions in
  ``docs/insights.md``).

Nothing here imports Rasa: the tracker store is read as the table Rasa writes.
"""
