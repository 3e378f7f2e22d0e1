"""What agents do to a conversation, as database changes (the console's routes add the calls to
Rasa around them): claim, assign, reply, note, resolve, hand back, snooze, search."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.handoff.models import Agent, Conversation, Message, Note, Sender, Status
from bot.handoff.queue import waiting_queue
from bot.handoff.transcript import TrackerView


class NotFound(LookupError):
    """No such conversation or agent."""


class Conflict(RuntimeError):
    """The conversation is not in a state that allows this; the message says why."""


def _now() -> datetime:
    return datetime.now(UTC)


def get_conversation(session: Session, conversation_id: int) -> Conversation:
    """The conversation with this id; raises :class:`NotFound`."""
    row = session.get(Conversation, conversation_id)
    if row is None:
        raise NotFound("Conversation not found")
    return row


def list_conversations(
    session: Session,
    status: Status | None,
    assignee_id: int | None = None,
    limit: int = 100,
) -> Sequence[Conversation]:
    """Conversations by status: waiting ones by priority then waiting time, others newest first."""
    if status == Status.OPEN and assignee_id is None:
        return session.scalars(waiting_queue().limit(limit)).all()
    query = select(Conversation)
    if status is not None:
        query = query.where(Conversation.status == status.value)
    if assignee_id is not None:
        query = query.where(Conversation.assignee_id == assignee_id)
    order = (
        (Conversation.priority.desc(), Conversation.waiting_since.asc())
        if status == Status.OPEN
        else (Conversation.updated_at.desc(),)
    )
    return session.scalars(query.order_by(*order).limit(limit)).unique().all()


def activity(session: Session, conversation: Conversation, text: str) -> Message:
    """Adds a line like "Anna joined" to the transcript."""
    message = Message(
        conversation_id=conversation.id, sender=Sender.SYSTEM.value, text=text, created_at=_now()
    )
    session.add(message)
    conversation.updated_at = message.created_at
    return message


def _require_active(conversation: Conversation) -> None:
    if conversation.status == Status.RESOLVED.value:
        raise Conflict("This conversation is resolved")
    if conversation.status == Status.PENDING.value:
        raise Conflict("The bot has this conversation again; it was handed back")


def claim(session: Session, conversation: Conversation, agent: Agent) -> bool:
    """Assigns the conversation to ``agent``; ``False`` if it already was theirs.

    Raises:
        Conflict: It is resolved, handed back, or another agent has it.
    """
    _require_active(conversation)
    if conversation.assignee_id == agent.id:
        return False
    if conversation.assignee_id is not None:
        raise Conflict(
            f"{conversation.assignee.name if conversation.assignee else 'Someone'} "
            "has already claimed this conversation"
        )
    return assign(session, conversation, agent, by=agent)


def assign(session: Session, conversation: Conversation, agent: Agent, by: Agent) -> bool:
    """Gives the conversation to ``agent`` (an admin or the current assignee may reassign)."""
    _require_active(conversation)
    if not agent.active:
        raise Conflict("That agent is deactivated")
    if conversation.assignee_id == agent.id:
        return False
    conversation.assignee_id, conversation.assignee = agent.id, agent
    conversation.status = Status.OPEN.value
    activity(
        session,
        conversation,
        f"{agent.name} joined"
        if by.id == agent.id
        else f"{by.name} assigned the conversation to {agent.name}",
    )
    return True


def add_agent_message(
    session: Session, conversation: Conversation, agent: Agent, text: str
) -> Message:
    """Stores an agent's reply (call after Rasa accepted it); the first one sets first response."""
    _require_active(conversation)
    now = _now()
    message = Message(
        conversation_id=conversation.id,
        sender=Sender.AGENT.value,
        text=text,
        agent_id=agent.id,
        created_at=now,
    )
    session.add(message)
    conversation.first_response_at = conversation.first_response_at or now
    conversation.updated_at = now
    if conversation.status == Status.SNOOZED.value:
        conversation.status = Status.OPEN.value
    session.flush()
    return message


def add_note(session: Session, conversation: Conversation, agent: Agent, text: str) -> Note:
    """Stores a private note."""
    note = Note(
        conversation_id=conversation.id,
        agent_id=agent.id,
        agent=agent,
        text=text,
        created_at=_now(),
    )
    session.add(note)
    session.flush()
    return note


def resolve(session: Session, conversation: Conversation, agent: Agent) -> None:
    """Marks the conversation resolved (the caller also hands the chat back to the bot)."""
    _require_active(conversation)
    conversation.status, conversation.resolved_at = Status.RESOLVED.value, _now()
    conversation.waiting_since = None
    activity(session, conversation, f"{agent.name} resolved the conversation")


def hand_back(session: Session, conversation: Conversation, agent: Agent) -> None:
    """The bot has the conversation again (status pending)."""
    _require_active(conversation)
    conversation.status, conversation.waiting_since = Status.PENDING.value, None
    activity(session, conversation, f"{agent.name} handed the conversation back to the bot")


def snooze(session: Session, conversation: Conversation, agent: Agent) -> None:
    """Parks the conversation until the shopper writes again."""
    _require_active(conversation)
    conversation.status = Status.SNOOZED.value
    activity(session, conversation, f"{agent.name} snoozed the conversation")


def store_sync(session: Session, conversation_id: int, view: TrackerView) -> list[Message]:
    """Adds the messages read from Rasa (the shopper's newest sets when they last wrote); a
    shopper's message wakes a snoozed conversation."""
    conversation = get_conversation(session, conversation_id)
    for message in view.messages:
        message.conversation_id = conversation.id
        session.add(message)
    conversation.synced_until = max(conversation.synced_until or 0.0, view.synced_until)
    conversation.contact_email = view.email or conversation.contact_email
    contact = [m for m in view.messages if m.sender == Sender.CONTACT.value]
    if contact:
        conversation.updated_at = max(m.created_at for m in contact)
        latest = conversation.last_contact_at
        conversation.last_contact_at = max(
            [m.created_at for m in contact] + ([latest] if latest else [])
        )
        conversation.sentiment = contact[-1].sentiment
        if conversation.status == Status.SNOOZED.value:
            conversation.status, conversation.waiting_since = Status.OPEN.value, _now()
    session.flush()
    return view.messages


def search(session: Session, query: str, limit: int = 30) -> Sequence[Conversation]:
    """Conversations whose messages, notes, e-mail or session id contain ``query``, newest first."""
    escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    like = f"%{escaped}%"
    in_messages = select(Message.conversation_id).where(Message.text.ilike(like, escape="\\"))
    in_notes = select(Note.conversation_id).where(Note.text.ilike(like, escape="\\"))
    return (
        session.scalars(
            select(Conversation)
            .where(
                or_(
                    Conversation.id.in_(in_messages),
                    Conversation.id.in_(in_notes),
                    Conversation.contact_email.ilike(like, escape="\\"),
                    Conversation.session_id.ilike(like, escape="\\"),
                )
            )
            .order_by(Conversation.updated_at.desc())
            .limit(limit)
        )
        .unique()
        .all()
    )
