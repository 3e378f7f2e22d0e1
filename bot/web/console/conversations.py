"""``/api/console/conversations``: the queue, a conversation's transcript and summary, and what an
agent does with it. Changes the shopper must see go through Rasa's API first; when Rasa fails the
caller gets 502 with the reason and nothing is stored."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Sequence
from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Path, Query
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.handoff import workflow
from bot.handoff.assist import recent_orders, suggest_reply, summarise
from bot.handoff.live import message_event, stored
from bot.handoff.models import Agent, Conversation, Message, Note, Role, Sender, Status
from bot.handoff.rasa_api import RasaUnavailable
from bot.handoff.reply_window import ReplyWindow, reply_window
from bot.knowledge.errors import KnowledgeError
from bot.messages import (
    Card,
    StoredMessage,
    agent_joined_card,
    agent_left_card,
    conversation_event,
    queue_event,
    rating_request_card,
)
from bot.web.console.deps import MAX_ROW_ID, CurrentAgent, DbDep, StateDep
from bot.web.console.schemas import (
    AssignBody,
    ConversationDetail,
    ConversationPublic,
    NoteBody,
    NotePublic,
    PriorityBody,
    SuggestionPublic,
    TextBody,
)

router = APIRouter(prefix="/api/console/conversations", tags=["console"])
ConversationId = Annotated[
    int, Path(gt=0, le=MAX_ROW_ID, description="The conversation's id in the console.")
]
StatusFilter = Literal["open", "mine", "pending", "resolved", "snoozed", "all"]


def _load(db: Session, conversation_id: int) -> Conversation:
    try:
        return workflow.get_conversation(db, conversation_id)
    except workflow.NotFound as error:
        raise HTTPException(status_code=404, detail=str(error)) from error


def _conflict(error: workflow.Conflict) -> HTTPException:
    return HTTPException(status_code=409, detail=str(error))


def _messages(db: Session, conversation_id: int) -> Sequence[Message]:
    return (
        db.scalars(
            select(Message)
            .where(Message.conversation_id == conversation_id)
            .order_by(Message.created_at, Message.id)
        )
        .unique()
        .all()
    )


def _preview(db: Session, conversation_id: int) -> str | None:
    return db.scalar(
        select(Message.text)
        .where(
            Message.conversation_id == conversation_id,
            Message.sender == Sender.CONTACT.value,
        )
        .order_by(Message.created_at.desc(), Message.id.desc())
        .limit(1)
    )


def _require_mine(conversation: Conversation, agent: Agent) -> None:
    """Only the assignee (or an admin) talks in or closes a claimed conversation."""
    if conversation.assignee_id not in (None, agent.id) and agent.role != Role.ADMIN.value:
        raise HTTPException(status_code=409, detail="Another agent has this conversation")


async def _rasa(call: Awaitable[None]) -> None:
    """Awaits a call to Rasa; Rasa's failure becomes a 502 with the reason."""
    try:
        await call
    except RasaUnavailable as error:
        raise HTTPException(status_code=502, detail=str(error)) from error


def _window(row: Conversation) -> ReplyWindow:
    return reply_window(row.channel, row.app, row.last_contact_at, datetime.now(UTC))


def _tagged(window: ReplyWindow, metadata: dict[str, str]) -> dict[str, str]:
    """``metadata`` with the message tag the shopper's app needs now (Messenger after 24 h)."""
    return {**metadata, "message_tag": window.message_tag} if window.message_tag else metadata


async def _notice(state: StateDep, row: Conversation, card: Card) -> None:
    """Sends a notice (an agent joined or left, a rating request) while the shopper's app takes
    messages; after its window closes the agent's action goes on without it."""
    window = _window(row)
    if window.open:
        await _rasa(state.rasa.card(row.session_id, card, _tagged(window, {})))


def _announce(db: Session, state: StateDep, conversation_id: int) -> None:
    db.commit()
    state.hub.publish(conversation_event(conversation_id))
    state.hub.publish(queue_event())


@router.get("")
def list_conversations(
    agent: CurrentAgent,
    db: DbDep,
    status: StatusFilter = "open",
    limit: Annotated[int, Query(ge=1, le=200)] = 100,
) -> list[ConversationPublic]:
    """The queue (``open``: waiting and unclaimed, by priority then waiting time), the caller's
    own conversations (``mine``), or conversations by status."""
    if status == "mine":
        rows = workflow.list_conversations(db, None, assignee_id=agent.id, limit=limit)
        rows = [r for r in rows if r.status in (Status.OPEN.value, Status.SNOOZED.value)]
    else:
        rows = workflow.list_conversations(
            db, None if status == "all" else Status(status), limit=limit
        )
    return [ConversationPublic.of(r, _preview(db, r.id)) for r in rows]


@router.get("/search")
def search_conversations(
    agent: CurrentAgent, db: DbDep, q: Annotated[str, Query(min_length=2, max_length=200)]
) -> list[ConversationPublic]:
    """Past and present conversations whose messages, notes, e-mail or session id contain ``q``."""
    return [ConversationPublic.of(r, _preview(db, r.id)) for r in workflow.search(db, q.strip())]


@router.get("/{conversation_id}")
async def read_conversation(
    conversation_id: ConversationId, agent: CurrentAgent, db: DbDep
) -> ConversationDetail:
    """The transcript (intents, sentiment, sources), private notes and an automatic summary."""
    row = _load(db, conversation_id)
    messages = _messages(db, row.id)
    notes = (
        db.scalars(select(Note).where(Note.conversation_id == row.id).order_by(Note.id))
        .unique()
        .all()
    )
    orders = await asyncio.to_thread(recent_orders, row.contact_email)
    summary = summarise(row, messages, orders)
    return ConversationDetail(
        conversation=ConversationPublic.of(row),
        messages=[stored(m) for m in messages],
        notes=[
            NotePublic(
                id=n.id,
                text=n.text,
                agent=n.agent.name if n.agent else None,
                created_at=n.created_at,
            )
            for n in notes
        ],
        summary=summary.__dict__,
    )


@router.get("/{conversation_id}/suggestion")
async def suggestion(
    conversation_id: ConversationId, agent: CurrentAgent, db: DbDep
) -> SuggestionPublic:
    """A reply drafted from the knowledge base for the shopper's latest messages, to edit."""
    messages = _messages(db, _load(db, conversation_id).id)
    try:
        drafted = await asyncio.to_thread(suggest_reply, messages, agent.name)
    except KnowledgeError as error:
        raise HTTPException(
            status_code=503, detail=f"The knowledge base is unavailable: {error}"
        ) from error
    return SuggestionPublic(**drafted.__dict__)


async def _agent_joined(db: Session, state: StateDep, row: Conversation, agent: Agent) -> None:
    """Tells the shopper that ``agent`` joined and the console that the conversation changed."""
    await _notice(state, row, agent_joined_card(agent.name))
    _announce(db, state, row.id)


@router.post("/{conversation_id}/claim")
async def claim(
    conversation_id: ConversationId, agent: CurrentAgent, db: DbDep, state: StateDep
) -> ConversationPublic:
    """Takes the conversation; the shopper sees that the agent joined."""
    row = _load(db, conversation_id)
    try:
        changed = workflow.claim(db, row, agent)
    except workflow.Conflict as error:
        raise _conflict(error) from error
    if changed:
        await _agent_joined(db, state, row, agent)
    return ConversationPublic.of(row)


@router.post("/{conversation_id}/assign")
async def assign(
    conversation_id: ConversationId,
    body: AssignBody,
    agent: CurrentAgent,
    db: DbDep,
    state: StateDep,
) -> ConversationPublic:
    """Gives the conversation to an agent (unclaimed ones: anyone; claimed: assignee or admin)."""
    row = _load(db, conversation_id)
    _require_mine(row, agent)
    target = db.get(Agent, body.agent_id)
    if target is None:
        raise HTTPException(status_code=422, detail=f"No agent with id {body.agent_id}")
    try:
        changed = workflow.assign(db, row, target, by=agent)
    except workflow.Conflict as error:
        raise _conflict(error) from error
    if changed:
        await _agent_joined(db, state, row, target)
    return ConversationPublic.of(row)


@router.post("/{conversation_id}/priority")
def set_priority(
    conversation_id: ConversationId,
    body: PriorityBody,
    agent: CurrentAgent,
    db: DbDep,
    state: StateDep,
) -> ConversationPublic:
    """Changes the conversation's priority in the queue."""
    row = _load(db, conversation_id)
    row.priority = body.priority
    _announce(db, state, row.id)
    return ConversationPublic.of(row)


@router.post("/{conversation_id}/messages", status_code=201)
async def reply(
    conversation_id: ConversationId, body: TextBody, agent: CurrentAgent, db: DbDep, state: StateDep
) -> StoredMessage:
    """Sends the agent's reply to the shopper's chat (claiming the conversation if unclaimed)."""
    row = _load(db, conversation_id)
    _require_mine(row, agent)
    text = body.text.strip()
    if not text:
        raise HTTPException(status_code=422, detail="The reply is empty")
    window = _window(row)
    if not window.open:
        raise HTTPException(status_code=409, detail=window.reason)
    try:
        joined = row.assignee_id is None and workflow.claim(db, row, agent)
    except workflow.Conflict as error:
        raise _conflict(error) from error
    if joined:
        await _notice(state, row, agent_joined_card(agent.name))
    metadata = {"agent": agent.name, "console_message_id": uuid.uuid4().hex}
    await _rasa(state.rasa.say(row.session_id, text, _tagged(window, metadata)))
    message = workflow.add_agent_message(db, row, agent, text)
    message.agent = agent
    event = message_event(row.id, message)
    _announce(db, state, row.id)
    state.hub.publish(event)
    return stored(message)


@router.post("/{conversation_id}/notes", status_code=201)
def add_note(
    conversation_id: ConversationId, body: NoteBody, agent: CurrentAgent, db: DbDep, state: StateDep
) -> NotePublic:
    """Adds a private note (agents only ever see it)."""
    row = _load(db, conversation_id)
    note = workflow.add_note(db, row, agent, body.text.strip())
    _announce(db, state, row.id)
    return NotePublic(id=note.id, text=note.text, agent=agent.name, created_at=note.created_at)


async def _close(
    conversation_id: int,
    agent: Agent,
    db: Session,
    state: StateDep,
    action: Literal["resolve", "handback", "snooze"],
) -> ConversationPublic:
    row = _load(db, conversation_id)
    _require_mine(row, agent)
    try:
        {"resolve": workflow.resolve, "handback": workflow.hand_back, "snooze": workflow.snooze}[
            action
        ](db, row, agent)
    except workflow.Conflict as error:
        raise _conflict(error) from error
    if action != "snooze":
        if row.assignee_id is not None:
            await _notice(state, row, agent_left_card())
        await _rasa(state.rasa.resume(row.session_id))
        if action == "resolve":
            await _notice(state, row, rating_request_card())
    _announce(db, state, row.id)
    return ConversationPublic.of(row)


@router.post("/{conversation_id}/resolve")
async def resolve(
    conversation_id: ConversationId, agent: CurrentAgent, db: DbDep, state: StateDep
) -> ConversationPublic:
    """Closes the conversation: the bot is back for the shopper, who is asked for a rating."""
    return await _close(conversation_id, agent, db, state, "resolve")


@router.post("/{conversation_id}/handback")
async def hand_back(
    conversation_id: ConversationId, agent: CurrentAgent, db: DbDep, state: StateDep
) -> ConversationPublic:
    """Hands the conversation back to the bot, which answers the shopper's next message."""
    return await _close(conversation_id, agent, db, state, "handback")


@router.post("/{conversation_id}/snooze")
async def snooze(
    conversation_id: ConversationId, agent: CurrentAgent, db: DbDep, state: StateDep
) -> ConversationPublic:
    """Parks the conversation until the shopper writes again (the bot stays quiet)."""
    return await _close(conversation_id, agent, db, state, "snooze")
