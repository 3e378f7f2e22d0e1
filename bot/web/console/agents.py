"""``/api/console/agents``: the team (everyone may list it; admins add and change agents)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path
from sqlalchemy import select

from bot.handoff.agents import (
    AgentError,
    close_sessions_of,
    count_admins,
    create_agent,
    set_password,
)
from bot.handoff.models import Agent, Role
from bot.web.console.deps import MAX_ROW_ID, CurrentAdmin, CurrentAgent, DbDep
from bot.web.console.schemas import AgentCreate, AgentPublic, AgentUpdate

router = APIRouter(prefix="/api/console/agents", tags=["console"])


@router.get("")
def list_agents(agent: CurrentAgent, db: DbDep) -> list[AgentPublic]:
    """Every agent, by name (to assign conversations)."""
    return [AgentPublic.of(a) for a in db.scalars(select(Agent).order_by(Agent.name))]


@router.post("", status_code=201)
def add_agent(body: AgentCreate, admin: CurrentAdmin, db: DbDep) -> AgentPublic:
    """Adds an agent (admins only)."""
    try:
        return AgentPublic.of(create_agent(db, body.email, body.name, body.password, body.role))
    except AgentError as error:
        raise HTTPException(status_code=422, detail=str(error)) from error


@router.patch("/{agent_id}")
def update_agent(
    agent_id: Annotated[int, Path(gt=0, le=MAX_ROW_ID, description="The agent's id.")],
    body: AgentUpdate,
    admin: CurrentAdmin,
    db: DbDep,
) -> AgentPublic:
    """Renames, changes the role of, (de)activates or sets a new password for an agent."""
    agent = db.get(Agent, agent_id)
    if agent is None:
        raise HTTPException(status_code=404, detail="Agent not found")
    demoted = body.role == Role.AGENT or body.active is False
    if demoted and agent.role == Role.ADMIN.value and agent.active and count_admins(db) <= 1:
        raise HTTPException(
            status_code=409, detail="The last active admin cannot be demoted or deactivated"
        )
    if body.name is not None:
        agent.name = body.name.strip()
    if body.role is not None:
        agent.role = body.role.value
    if body.active is not None:
        agent.active = body.active
    if body.password is not None:
        try:
            set_password(agent, body.password)
        except AgentError as error:
            raise HTTPException(status_code=422, detail=str(error)) from error
    if body.active is False or body.password is not None:
        close_sessions_of(db, agent.id)
    db.flush()
    return AgentPublic.of(agent)
