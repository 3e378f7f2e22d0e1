"""The action server's knowledge routes: bearer-token check and route table."""

from __future__ import annotations

import pytest

from actions.server import check_bearer, create_server_app

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("header", "token", "status", "reason"),
    [
        (None, "s3cret", 401, "missing 'Authorization: Bearer <token>' header"),
        ("Basic czNjcmV0", "s3cret", 401, "must be 'Bearer <token>'"),
        ("Bearer ", "s3cret", 401, "must be 'Bearer <token>'"),
        ("Bearer wrong", "s3cret", 403, "invalid token"),
        ("Bearer s3cret", None, 403, "no action API token is configured"),
    ],
)
def test_reload_is_refused_with_a_reason(header, token, status, reason):
    refusal = check_bearer(header, token)
    assert refusal is not None and refusal[0] == status and reason in refusal[1]


def test_the_right_token_passes_in_any_case_of_the_scheme():
    assert check_bearer("Bearer s3cret", "s3cret") is None
    assert check_bearer("bearer s3cret", "s3cret") is None


def test_the_app_has_rasa_sdk_routes_and_the_knowledge_routes():
    app = create_server_app()
    routes = {(route.path.strip("/"), tuple(sorted(route.methods))) for route in app.router.routes}
    assert ("webhook", ("POST",)) in routes and ("health", ("GET",)) in routes
    assert ("knowledge/reload", ("POST",)) in routes and ("knowledge/status", ("GET",)) in routes
