"""deploy/compose.yaml and deploy/k8s/fernhill.yaml describe what `make run-scaled` starts: the
same processes and replica counts, commands, settings, health paths, model volume and routes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot.scale.profile import DEFAULTS, Replica, ScaledProfile

pytestmark = pytest.mark.unit
ROOT = Path(__file__).resolve().parents[3]
DEPLOY = ROOT / "deploy"
# Where each process listens and how many run is the topology, not a setting passed to them;
# the addresses of the balancer differ by deployment (checked to be present only).
TOPOLOGY = {name for name in DEFAULTS if name.endswith(("_REPLICAS", "_PORT_BASE"))} | {
    "FERNHILL_PUBLIC_PORT", "FERNHILL_RASA_PORT", "FERNHILL_ACTION_PORT", "FERNHILL_RASA_MODEL",
}  # fmt: skip
ADDRESSES = {"FERNHILL_RASA_URL", "ACTION_SERVER_URL", "FERNHILL_WIDGET_SOCKET_URL"}
SECRET = re.compile(r"\$\{(\w+)(:[?-][^}]*)?\}")


def plan() -> dict[str, Replica]:
    return {r.role: r for r in ScaledProfile.from_env({}).replicas() if r.name.endswith("-1")}


def same_command(command: list[str], replica: Replica) -> bool:
    """Equal but for the address and port a container listens on and how a secret is written."""

    def normal(argv: list[str] | tuple[str, ...]) -> list[str]:
        out, skip = [], False
        for part in argv:
            if skip:
                skip = False
                continue
            if part in ("--port", "--host", "--interface"):
                out.append(part)
                skip = True
                continue
            out.append(re.sub(r"\$[({](\w+)[)}]", r"<\1>", part))
        return out

    return normal(command) == normal(replica.argv)


def path_of(test: list[str]) -> str:
    return "/" + test[-1].split("://", 1)[1].split("/", 1)[1]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


@pytest.fixture(scope="module")
def k8s() -> dict[tuple[str, str], dict]:
    docs = yaml.safe_load_all((DEPLOY / "k8s" / "fernhill.yaml").read_text())
    return {(d["kind"], d["metadata"]["name"]): d for d in docs if d}


def test_compose_runs_the_planned_processes_with_their_commands_and_health(compose):
    services = compose["services"]
    assert {"postgres", "redis", "rabbitmq", "balancer"} < set(services)
    profile = ScaledProfile.from_env({})
    for role, replica in plan().items():
        service = services[role]
        assert service["deploy"]["replicas"] == profile.count(role)
        assert same_command(service["command"], replica), service["command"]
        assert path_of(service["healthcheck"]["test"]) == replica.health
    assert all("healthcheck" in s for s in services.values())
    assert "rasa-models:/app/models:ro" in services["rasa"]["volumes"]


def test_compose_passes_the_settings_the_scaled_run_derives(compose):
    given = {
        name: SECRET.sub(lambda m: "secret-" + m.group(1), value)
        for name, value in compose["x-fernhill-settings"].items()
    }
    derived = ScaledProfile.from_env(given).shared_env()
    for name, value in derived.items():
        if name in TOPOLOGY:
            continue
        assert name in given, f"{name} is missing from compose.yaml"
        if name not in ADDRESSES:
            assert given[name] == value, name
    for role in plan():
        assert compose["services"][role]["environment"] == compose["x-fernhill-settings"]


def test_kubernetes_runs_the_planned_processes_with_the_same_settings(k8s, compose):
    settings = k8s[("ConfigMap", "fernhill-settings")]["data"]
    in_compose = compose["x-fernhill-settings"]
    secret_names = {n for n, v in in_compose.items() if SECRET.search(str(v))}
    for name in in_compose:
        if name not in secret_names:
            assert name in settings, f"{name} is missing from the ConfigMap"
            if name not in ADDRESSES:
                assert settings[name] == in_compose[name], name
    profile = ScaledProfile.from_env({})
    for role, replica in plan().items():
        deployment = k8s[("Deployment", f"fernhill-{role}")]
        assert deployment["spec"]["replicas"] == profile.count(role)
        (container,) = deployment["spec"]["template"]["spec"]["containers"]
        assert same_command(container["command"], replica), container["command"]
        assert container["readinessProbe"]["httpGet"]["path"] == replica.health
        sources = {next(iter(s.values()))["name"] for s in container["envFrom"]}
        assert sources == {"fernhill-settings", "fernhill-secrets"}
        assert ("Service", f"fernhill-{role}") in k8s
    rasa = k8s[("Deployment", "fernhill-rasa")]["spec"]["template"]["spec"]
    assert rasa["containers"][0]["volumeMounts"][0]["mountPath"] == "/app/models"


def locations(text: str) -> set[str]:
    return set(re.findall(r"location (\S+) \{", text))


def test_the_balancers_route_the_same_paths_with_sticky_sockets():
    local = (DEPLOY / "nginx" / "nginx.conf.template").read_text()
    containers = (DEPLOY / "nginx" / "compose.conf").read_text()
    assert (
        locations(local)
        == locations(containers)
        == {"/", "/socket.io/", "/webhooks/", "/api/console/events"}
    )
    for text in (local, containers):
        assert re.search(r"upstream rasa_sockets \{\s*ip_hash;", text)
        assert "proxy_set_header Upgrade $http_upgrade;" in text
