"""Fernhill Goods customer-service assistant: the logic behind the Rasa actions and the web app.

Nothing here imports ``rasa_sdk``; heavy resources (models, indexes, databases) load lazily.
"""

__version__ = "0.1.0"
