"""Signed requests of a shape Slack never sends, and answers Slack does not take: a 400 before anything
reads the request, or an answer said lost; each in one WARNING line without a stack, and the server
keeps serving (RELIABILITY 10, 11e)."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from bot.sandbox.driver import Reply
from bot.sandbox.emulator import SlackEmulator
from bot.slack.shapes import problem_with
from tests.harness import Server, closed_port_url, wait_for

USER = {"id": "U0ALEX", "team_id": "T0SANDBOX"}
NOT_URLS = [
    "not a url",
    "ftp://files.example.com/x",
    "https://",
    "https://[::1",
    "http://hooks.slack.com:99999/x",
    "javascript:alert(1)",
    "//hooks.slack.com/commands/T0SANDBOX/1/abc",
    "https://hooks.slack.com/commands/\n1",
]


def command(server: Server, **fields: str) -> dict[str, str]:
    return {
        "command": "/learn",
        "text": "help",
        "team_id": "T0SANDBOX",
        "user_id": "U0ALEX",
        "channel_id": "C0SANDBOX",
        "trigger_id": server.driver.trigger_id("U0ALEX"),
        "response_url": server.driver.emulator.new_response_url(channel="C0SANDBOX", user="U0ALEX"),
        **fields,
    }


def shortcut(server: Server, **fields: Any) -> dict[str, Any]:
    return {
        "type": "message_action",
        "callback_id": "start_challenge",
        "team": {"id": "T0SANDBOX"},
        "user": USER,
        "channel": {"id": "C0SANDBOX"},
        "message": {"type": "message", "user": "U0SAM", "ts": "1700000000.000100", "text": "giving feedback"},
        "trigger_id": server.driver.trigger_id("U0ALEX"),
        "response_url": server.driver.emulator.new_response_url(channel="C0SANDBOX", user="U0ALEX"),
        **fields,
    }


def button(server: Server, **fields: Any) -> dict[str, Any]:
    return {
        "type": "block_actions",
        "team": {"id": "T0SANDBOX"},
        "user": USER,
        "channel": {"id": "C0SANDBOX"},
        "trigger_id": server.driver.trigger_id("U0ALEX"),
        "response_url": server.driver.emulator.new_response_url(channel="C0SANDBOX", user="U0ALEX"),
        "actions": [{"action_id": "practice_done", "type": "button", "value": '{"d": 1}'}],
        **fields,
    }


def window(**fields: Any) -> dict[str, Any]:
    view = {"id": "V1", "type": "modal", "callback_id": "practice_reflection", "private_metadata": '{"d": 1}'}
    return {"type": "view_submission", "team": {"id": "T0SANDBOX"}, "user": USER, "view": view, **fields}


def send(server: Server, kind: str, body: dict[str, Any]) -> Reply:
    """Send a signed request as Slack would encode its kind: a form, a form with a JSON payload, or JSON."""
    if kind == "command":
        return server.driver.send_form({key: str(value) for key, value in body.items()})
    if kind in ("event_callback", "url_verification"):
        return server.driver.send_json(body)
    return server.driver.send_form({"payload": json.dumps(body)})


def the_only_warning(caplog: pytest.LogCaptureFixture) -> str:
    """The one WARNING line a request left, once no record is an ERROR or carries a stack."""
    stacks = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert stacks == [], stacks
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1, warnings
    return warnings[0]


@pytest.mark.parametrize("message", ["giving feedback", ["giving feedback"], 7, True, None])
def test_a_message_shortcut_whose_message_is_not_an_object_is_refused(
    server: Server, caplog: pytest.LogCaptureFixture, message: object
) -> None:
    with caplog.at_level(logging.WARNING):
        reply = send(server, "message_action", shortcut(server, message=message))
        server.settle()
    assert reply.status == 400
    assert "wrong shape: message" in the_only_warning(caplog)


@pytest.mark.parametrize("kind", ["event_callback", "url_verification", "view_submission", "block_actions", "command"])
@pytest.mark.parametrize("event", ["app_home_opened", ["app_home_opened"], None])
def test_a_request_whose_event_is_not_an_object_is_refused(
    server: Server, caplog: pytest.LogCaptureFixture, kind: str, event: object
) -> None:
    bodies: dict[str, dict[str, Any]] = {
        "event_callback": {"type": "event_callback", "team_id": "T0SANDBOX", "event_id": "Ev1"},
        "url_verification": {"type": "url_verification", "challenge": "abc123"},
        "view_submission": window(),
        "block_actions": button(server),
        "command": dict(command(server)),
    }
    with caplog.at_level(logging.WARNING):
        reply = send(server, kind, {**bodies[kind], "event": event})
        server.settle()
    assert reply.status == 400
    assert "wrong shape: event" in the_only_warning(caplog)


@pytest.mark.parametrize(
    ("kind", "url"),
    [("command", url) for url in NOT_URLS]  # a form's values are always text
    + [(kind, url) for kind in ("block_actions", "message_action") for url in [*NOT_URLS, 5, ["https://x.com"]]],
)
def test_a_request_whose_response_url_is_not_a_web_address_is_refused(
    server: Server, caplog: pytest.LogCaptureFixture, kind: str, url: object
) -> None:
    body = {"command": command, "block_actions": button, "message_action": shortcut}[kind](server)
    with caplog.at_level(logging.WARNING):
        reply = send(server, kind, {**body, "response_url": url})
        server.settle()
    assert reply.status == 400
    assert "wrong shape: response_url" in the_only_warning(caplog)


@pytest.mark.parametrize(
    "url",
    ["https://hooks.slack.com/commands/T0SANDBOX/1234/abcd", "http://127.0.0.1:8123/respond/R00000001"],
)
def test_response_urls_as_slack_and_the_emulator_send_them_pass_the_shape_check(url: str) -> None:
    fields = {"command": "/learn", "team_id": "T0", "user_id": "U0", "channel_id": "C0", "trigger_id": "t"}
    assert problem_with({**fields, "response_url": url}) is None
    assert problem_with({**fields, "response_url": url.replace("/", "", 1)}) is not None


def test_an_answer_whose_response_url_refuses_the_connection_is_lost_in_one_warning(
    server: Server, emulator: SlackEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        reply = send(server, "command", command(server, response_url=closed_port_url()))
        server.settle()
    assert reply.status == 200
    assert the_only_warning(caplog) == (
        "could not answer /learn for U0ALEX through its response_url: ConnectionRefusedError; the answer was lost"
    )
    assert server.driver.command("U0ALEX", "/learn", "help").status == 200, "the server keeps serving"
    wait_for(lambda: emulator.ephemerals_for("U0ALEX"))


def test_an_answer_whose_response_url_answers_an_error_is_lost_in_one_warning(
    server: Server, emulator: SlackEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    expired = f"{emulator.base_url}/respond/R_EXPIRED"  # the emulator answers 404 expired_url
    with caplog.at_level(logging.WARNING):
        reply = send(server, "command", command(server, response_url=expired))
        server.settle()
    assert reply.status == 200
    assert the_only_warning(caplog) == (
        "could not answer /learn for U0ALEX through its response_url: HTTP 404 expired_url; the answer was lost"
    )


def test_a_window_slack_does_not_open_is_lost_in_one_warning(
    server: Server, emulator: SlackEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    emulator.fail("views.open", "error", error="expired_trigger_id")
    with caplog.at_level(logging.WARNING):
        reply = send(server, "message_action", shortcut(server))
        server.settle()
    assert reply.status == 200
    assert the_only_warning(caplog) == (
        "could not answer the shortcut start_challenge for U0ALEX through views.open: expired_trigger_id; "
        "the answer was lost"
    )


def test_an_answer_in_the_dm_that_slack_does_not_take_is_lost_in_one_warning(
    server: Server, emulator: SlackEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    emulator.fail("chat.postMessage", "error", error="channel_not_found")
    event = {"type": "message", "channel_type": "im", "channel": "D0ALEX", "user": "U0ALEX", "text": "help"}
    with caplog.at_level(logging.WARNING):
        reply = server.driver.event({**event, "ts": "1700000000.000200"})
        server.settle()
    assert reply.status == 200
    assert the_only_warning(caplog) == (
        "could not answer a DM from U0ALEX through chat.postMessage: channel_not_found; the answer was lost"
    )
    assert server.driver.command("U0ALEX", "/learn", "help").status == 200, "the server keeps serving"
    wait_for(lambda: emulator.ephemerals_for("U0ALEX"))


def test_a_command_in_the_dm_whose_answer_slack_does_not_take_is_lost_in_one_warning(
    server: Server, emulator: SlackEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    emulator.fail("chat.postMessage", "error", error="internal_error")
    with caplog.at_level(logging.WARNING):
        reply = server.driver.send_form(command(server, channel_id="D0ALEX"))
        server.settle()
    assert reply.status == 200
    assert the_only_warning(caplog) == (
        "could not answer /learn for U0ALEX through chat.postMessage: internal_error; the answer was lost"
    )


BOLT_READS: list[tuple[str, object]] = [
    ("authorizations", "T0SANDBOX"),
    ("authorizations", [1]),
    ("authorizations", [{"enterprise": 5}]),
    ("enterprise", 5),
    ("enterprise", ["E0"]),
    ("response_urls", "x"),
    ("response_urls", [{"response_url": "x"}]),
    ("response_urls", None),
]


@pytest.mark.parametrize(
    ("kind", "field", "value"),
    [
        (kind, f, v)
        for kind in ("block_actions", "message_action", "view_submission", "url_verification")
        for f, v in BOLT_READS
    ]
    + [("command", f, v) for f, v in BOLT_READS if isinstance(v, str)],  # a form's values are always text
)
def test_a_request_whose_fields_bolt_reads_first_are_of_the_wrong_type_is_refused(
    server: Server, caplog: pytest.LogCaptureFixture, kind: str, field: str, value: object
) -> None:
    """Bolt reads who and where from these before any listener of ours runs (a form's values are text)."""
    bodies = {
        "block_actions": button,
        "message_action": shortcut,
        "view_submission": lambda _server: window(),
        "url_verification": lambda _server: {"type": "url_verification", "challenge": "abc123"},
        "command": command,
    }
    with caplog.at_level(logging.WARNING):
        reply = send(server, kind, {**bodies[kind](server), field: value})
        server.settle()
    assert reply.status == 400
    assert f"wrong shape: {field}" in the_only_warning(caplog)


def test_a_bug_of_ours_behind_a_500_keeps_its_error_and_stack_and_the_rewrite_to_400_is_a_warning(
    server: Server, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(event_id: str) -> bool:
        raise RuntimeError("a bug of ours")

    monkeypatch.setattr(server.world.services.inbox, "first_time", broken)  # in the pipeline, before any listener
    with caplog.at_level(logging.WARNING):
        reply = server.driver.open_home("U0ALEX")
        server.settle()
    assert reply.status == 400
    [bug] = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert bug.exc_info is not None and "a bug of ours" in bug.getMessage()
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == ["Bolt answered 500; sent 400 instead"]
