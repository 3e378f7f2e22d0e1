"""Rasa custom actions: thin adapters that read the tracker, call ``bot`` and send replies.

The action server imports every module here at start, so nothing heavy happens at import time.
"""
