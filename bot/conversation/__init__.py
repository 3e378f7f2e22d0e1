"""What the assistant says and does in a conversation, independent of Rasa's SDK.

Actions in ``actions/`` read the tracker, call these functions and send the returned
:class:`~bot.messages.replies.Reply` objects.
"""
