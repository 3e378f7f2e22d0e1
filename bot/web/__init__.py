"""The web app: the shop page with the chat, and its HTTP API."""
