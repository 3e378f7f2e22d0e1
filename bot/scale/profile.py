"""The scaled profile: where the shared state lives (PostgreSQL, Redis, RabbitMQ) and which
processes run (N Rasa replicas, M action servers, K web apps, one load balancer).

One switch, ``FERNHILL_PROFILE=scaled``, turns it on; every other setting has a default that
works against engines on this machine. The same plan feeds ``scripts/run_scaled.sh`` (through
``python -m bot.scale``), the nginx configuration it writes, and the test that compares the
deployment files in ``deploy/`` with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import quote

Role = Literal["rasa", "actions", "web"]
PROFILES = ("default", "scaled")

# Every setting of the profile with its default (documented in docs/scaling.md).
DEFAULTS: dict[str, str] = {
    "FERNHILL_PROFILE": "default",
    "FERNHILL_RASA_REPLICAS": "2",
    "FERNHILL_ACTION_REPLICAS": "2",
    "FERNHILL_WEB_REPLICAS": "2",
    "FERNHILL_PG_HOST": "127.0.0.1",
    "FERNHILL_PG_PORT": "5432",
    "FERNHILL_PG_USER": "postgres",
    "FERNHILL_PG_PASSWORD": "",
    "FERNHILL_PG_TRACKER_DB": "fernhill_rasa",
    "FERNHILL_PG_APP_DB": "fernhill_app",
    "FERNHILL_PG_SHOP_DB": "fernhill_shop",
    "FERNHILL_REDIS_HOST": "127.0.0.1",
    "FERNHILL_REDIS_PORT": "6379",
    "FERNHILL_REDIS_PASSWORD": "",
    "FERNHILL_REDIS_LOCK_DB": "1",
    "FERNHILL_REDIS_SOCKETIO_DB": "2",
    "FERNHILL_RABBITMQ_HOST": "127.0.0.1",
    "FERNHILL_RABBITMQ_PORT": "5672",
    "FERNHILL_RABBITMQ_USER": "guest",
    "FERNHILL_RABBITMQ_PASSWORD": "guest",
    "FERNHILL_RABBITMQ_QUEUE": "fernhill_events",
    "FERNHILL_PUBLIC_PORT": "8000",
    "FERNHILL_RASA_PORT": "5005",
    "FERNHILL_ACTION_PORT": "5055",
    "FERNHILL_REPLICA_PORT_BASE": "6100",
    "FERNHILL_RASA_MODEL": "models",
}


@dataclass(frozen=True)
class Replica:
    """One process of the plan: its role, name, port and command line."""

    role: Role
    name: str
    port: int
    argv: tuple[str, ...]
    health: str


@dataclass(frozen=True)
class ScaledProfile:
    """The settings of the scaled profile, read from the environment."""

    values: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> ScaledProfile:
        """The profile with ``env`` over the defaults; refuses values that cannot work."""
        values = {name: env.get(name, default) for name, default in DEFAULTS.items()}
        if values["FERNHILL_PROFILE"] not in PROFILES:
            raise ValueError(
                f"FERNHILL_PROFILE must be one of {', '.join(PROFILES)}. "
                f"Currently, FERNHILL_PROFILE is {values['FERNHILL_PROFILE']!r}"
            )
        for name in DEFAULTS:
            if name.endswith(("_REPLICAS", "_PORT", "_PORT_BASE", "_DB")) and not name.startswith(
                "FERNHILL_PG_"
            ):
                if not values[name].isdigit() or (
                    name.endswith("_REPLICAS") and values[name] == "0"
                ):
                    raise ValueError(
                        f"{name} must be a positive number. Currently, it is {values[name]!r}"
                    )
        return cls(values)

    def __getitem__(self, name: str) -> str:
        return self.values[name]

    def count(self, role: Role) -> int:
        """How many replicas of ``role`` run."""
        name = {"rasa": "RASA", "actions": "ACTION", "web": "WEB"}[role]
        return int(self[f"FERNHILL_{name}_REPLICAS"])

    def postgres_url(self, database: str) -> str:
        """SQLAlchemy URL of one of the profile's PostgreSQL databases."""
        password = (
            f":{quote(self['FERNHILL_PG_PASSWORD'], safe='')}"
            if self["FERNHILL_PG_PASSWORD"]
            else ""
        )
        user = quote(self["FERNHILL_PG_USER"], safe="")
        host = f"{self['FERNHILL_PG_HOST']}:{self['FERNHILL_PG_PORT']}"
        return f"postgresql+psycopg2://{user}{password}@{host}/{database}"

    def redis_url(self, db_setting: str) -> str:
        """``redis://`` URL of one of the profile's Redis databases."""
        password = (
            f":{quote(self['FERNHILL_REDIS_PASSWORD'], safe='')}@"
            if self["FERNHILL_REDIS_PASSWORD"]
            else ""
        )
        return f"redis://{password}{self['FERNHILL_REDIS_HOST']}:{self['FERNHILL_REDIS_PORT']}/{self[db_setting]}"

    def shared_env(self) -> dict[str, str]:
        """The settings every process of the scaled profile gets (endpoints.scaled.yml reads the
        ``FERNHILL_PG_*``, ``FERNHILL_REDIS_*`` and ``FERNHILL_RABBITMQ_*`` ones)."""
        env = {name: value for name, value in self.values.items() if name != "FERNHILL_PROFILE"}
        env.update(
            FERNHILL_PROFILE="scaled",
            FERNHILL_PG_TRACKER_URL=f"{self['FERNHILL_PG_HOST']}:{self['FERNHILL_PG_PORT']}",
            FERNHILL_TRACKER_STORE_URL=self.postgres_url(self["FERNHILL_PG_TRACKER_DB"]),
            FERNHILL_APP_DATABASE_URL=self.postgres_url(self["FERNHILL_PG_APP_DB"]),
            FERNHILL_DATABASE_URL=self.postgres_url(self["FERNHILL_PG_SHOP_DB"]),
            FERNHILL_SOCKETIO_REDIS_URL=self.redis_url("FERNHILL_REDIS_SOCKETIO_DB"),
            FERNHILL_RASA_URL=f"http://127.0.0.1:{self['FERNHILL_RASA_PORT']}",
            FERNHILL_WIDGET_SOCKET_URL=f"http://127.0.0.1:{self['FERNHILL_PUBLIC_PORT']}",
            ACTION_SERVER_URL=f"http://127.0.0.1:{self['FERNHILL_ACTION_PORT']}/webhook",
        )
        return env

    def replicas(self) -> list[Replica]:
        """Every process the scaled run starts behind the load balancer, in start order."""
        base = int(self["FERNHILL_REPLICA_PORT_BASE"])
        plan: list[Replica] = []
        for i in range(self.count("actions")):
            port = base + 50 + i
            argv: tuple[str, ...] = (
                ".venv/bin/python",
                "-m",
                "actions.server",
                "--port",
                str(port),
            )
            plan.append(Replica("actions", f"actions-{i + 1}", port, argv, "/ready"))
        for i in range(self.count("rasa")):
            port = base + i
            argv = (
                ".venv-rasa/bin/rasa", "run", "--model", self["FERNHILL_RASA_MODEL"],
                "--endpoints", "endpoints.scaled.yml", "--credentials", "credentials.yml",
                "--enable-api", "--auth-token=${FERNHILL_RASA_TOKEN}",
                "--interface", "127.0.0.1", "--port", str(port), "--cors", "*",
            )  # fmt: skip
            plan.append(Replica("rasa", f"rasa-{i + 1}", port, argv, "/"))
        for i in range(self.count("web")):
            port = base + 100 + i
            argv = (
                ".venv/bin/python",
                "-m",
                "bot",
                "web",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            )
            plan.append(Replica("web", f"web-{i + 1}", port, argv, "/health"))
        return plan
