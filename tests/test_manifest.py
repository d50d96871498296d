"""The Slack app manifests declare what the code listens to, within Slack's limits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.harness import ROOT

NEEDED_EVENTS = {"app_home_opened", "message.im", "user_change"}
UNREAD = {"message.channels", "message.groups", "message.mpim"}  # the bot reads no channel's messages
NEEDED_SCOPES = {
    "commands",
    "chat:write",
    "chat:write.public",
    "channels:read",
    "groups:read",
    "usergroups:read",
    "im:write",
    "users:read",
    "channels:history",
    "groups:history",
}


@pytest.fixture(params=["manifest.yml", "manifest.http.yml"])
def manifest(request: pytest.FixtureRequest) -> dict[str, Any]:
    return dict(yaml.safe_load(Path(ROOT / request.param).read_text()))


def test_manifest_declares_commands_shortcut_events_and_scopes(manifest: dict[str, Any]) -> None:
    assert manifest["_metadata"]["major_version"] == 1
    commands = {c["command"]: c for c in manifest["features"]["slash_commands"]}
    assert set(commands) == {"/learn", "/challenge"}
    assert all(2 <= len(name) <= 32 for name in commands)
    assert all(c["should_escape"] is True for c in commands.values()), "colleagues named arrive as <@U…|name>"
    [shortcut] = manifest["features"]["shortcuts"]
    assert shortcut["callback_id"] == "start_challenge" and shortcut["type"] == "message"
    assert len(shortcut["name"]) <= 24 and len(shortcut["description"]) <= 150
    assert set(manifest["settings"]["event_subscriptions"]["bot_events"]) >= NEEDED_EVENTS
    assert not set(manifest["settings"]["event_subscriptions"]["bot_events"]) & UNREAD
    assert set(manifest["oauth_config"]["scopes"]["bot"]) >= NEEDED_SCOPES
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True


def test_http_manifest_points_every_request_url_at_slack_events() -> None:
    http = yaml.safe_load((ROOT / "manifest.http.yml").read_text())
    assert http["settings"]["socket_mode_enabled"] is False
    urls = [c["url"] for c in http["features"]["slash_commands"]]
    urls += [http["settings"]["event_subscriptions"]["request_url"], http["settings"]["interactivity"]["request_url"]]
    assert all(url.endswith("/slack/events") for url in urls)


def test_the_app_answers_every_declared_command_and_shortcut(sandbox: Any) -> None:
    socket = yaml.safe_load((ROOT / "manifest.yml").read_text())
    commands = [c["command"] for c in socket["features"]["slash_commands"]]
    for number, command in enumerate(commands, start=1):
        assert sandbox.driver.command("U0ALEX", command, "help").status == 200
        sandbox.settle()
        assert len(sandbox.emulator.ephemerals_for("U0ALEX")) == number, f"{command} answered"
    [shortcut] = socket["features"]["shortcuts"]
    message = {"type": "message", "user": "U0SAM", "text": "Let's get better at feedback", "ts": "1.000001"}
    reply = sandbox.driver.shortcut_on_message("U0ALEX", shortcut["callback_id"], channel="C0SANDBOX", message=message)
    sandbox.settle()
    assert reply.status == 200
    [window] = sandbox.emulator.open_views("U0ALEX")  # a valid window even with no content synced yet
    assert window.view["callback_id"] == "challenge_propose"
