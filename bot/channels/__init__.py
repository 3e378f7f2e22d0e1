"""Messaging apps as channels of the assistant: the logic that does not need Rasa.

Each app (Telegram, WhatsApp Cloud API, Messenger and Instagram, Twilio SMS) has a Rasa input and
output channel in ``rasa_channels/``; those adapters stay thin and use this package for everything
that can be checked on its own:

- :mod:`bot.channels.settings`: each channel's settings from the environment (exact names);
- :mod:`bot.channels.ids`: conversation ids ``<channel>:<platform id>``;
- :mod:`bot.channels.signatures`: request authentication, compared in constant time;
- :mod:`bot.channels.text`: Markdown converted to each app's formatting, long texts split;
- :mod:`bot.channels.card_text`: cards (orders, sources, products) as readable text;
- :mod:`bot.channels.inbound`: what a webhook delivery means (a message, unsupported media,
  something to acknowledge only);
- one module per app (:mod:`bot.channels.telegram`, ...): its payloads read and its API requests
  built.

Nothing here imports Rasa, and it runs on Python 3.10 (the Rasa environment) and 3.11 alike.
"""
