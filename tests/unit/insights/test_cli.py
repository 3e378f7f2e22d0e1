"""``python -m bot insights update | rebuild | report`` on the hand-built conversations."""

import json

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.settings import get_settings
from tests.unit.insights.conversations import halves, write_app_records, write_events

pytestmark = pytest.mark.unit


@pytest.fixture()
def tracker_url(tmp_path, app_url, tracker, monkeypatch):
    monkeypatch.setattr(get_settings(), "app_database_url", app_url)
    return str(tracker.url)


def test_update_reads_new_events_and_rebuild_reads_them_all(tracker_url, tracker):
    runner = CliRunner()
    first, second = halves()
    write_events(tracker, first)
    one = runner.invoke(app, ["insights", "update", "--tracker-url", tracker_url])
    write_events(tracker, second)
    two = runner.invoke(app, ["insights", "update", "--tracker-url", tracker_url])
    again = runner.invoke(app, ["insights", "rebuild", "--tracker-url", tracker_url])

    assert one.exit_code == 0 and one.output.startswith(f"{len(first)} events")
    assert two.exit_code == 0 and two.output.startswith(f"{len(second)} events")
    assert again.output.startswith(f"{len(first) + len(second)} events of 4 conversations")


def test_a_tracker_store_without_events_is_a_clear_error(tmp_path, tracker_url):
    empty = f"sqlite:///{tmp_path / 'nothing.db'}"
    result = CliRunner().invoke(app, ["insights", "update", "--tracker-url", empty])
    assert result.exit_code == 1 and "no Rasa events" in result.output


def test_report_prints_the_measures_and_their_json(tracker_url, tracker, app_url):
    for part in halves():
        write_events(tracker, part)
    runner = CliRunner()
    runner.invoke(app, ["insights", "update", "--tracker-url", tracker_url])
    write_app_records(app_url)

    text = runner.invoke(app, ["insights", "report", "--week"])
    since = runner.invoke(app, ["insights", "report", "--since", "2026-11-04", "--json"])
    wrong = runner.invoke(app, ["insights", "report", "--since", "yesterday"])

    assert text.exit_code == 0, text.output
    assert "containment          66.7% (2 without a person)" in text.output
    assert "CSAT                 3 of 5 from 2 ratings" in text.output
    assert "2026-11-09  conversations 1" in text.output
    found = json.loads(since.output)
    assert (found["totals"]["conversations"], found["since"]) == (1, "2026-11-04")
    assert wrong.exit_code == 1 and "Invalid isoformat" in wrong.output
