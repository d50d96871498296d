"""The listener tables and the pipeline each request goes through after Bolt has verified it and the
middleware has deduplicated it and resolved the person: ack, read into plain values, one handler (one
service call and a render), then the reply path of its kind of request.

Surfaces declare tables (action id -> handler, callback id -> form, command -> handler); `register` turns
them into Bolt listeners. Nothing registers at import time.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient

from bot.errors import BadInput, BotError, Unavailable
from bot.people.types import PersonRef
from bot.slack.commands import CommandRouter, Subcommand
from bot.slack.deps import Services
from bot.slack.errors import log_error, tell_about
from bot.slack.replies import Reply, answer_after_submit, answer_click, answer_command
from bot.slack.requests import Ask, Click, Submission, described, read_click, read_submission
from bot.slack.text import unescape

log = logging.getLogger(__name__)

ActionHandler = Callable[[Services, Click], Reply]
FormHandler = Callable[[Services, Submission], Reply]
CommandHandler = Callable[[Services, Ask], Reply]
EventHandler = Callable[[Services, "Event", WebClient], None]


@dataclass(frozen=True)
class Event:
    """An Events API event and the workspace it came from; `person` when it names someone."""

    team_id: str
    data: Mapping[str, Any]
    person: PersonRef | None


@dataclass(frozen=True)
class Form:
    """A window's submit handler; `fields` maps the names a service gives to wrong input (BadInput.field)
    onto the window's blocks, so the message shows under the right field."""

    handler: FormHandler
    fields: Mapping[str, str] = field(default_factory=dict)
    first: str = ""  # the block to show a message under when it names no field

    def block_for(self, error: BotError) -> str:
        name = error.field if isinstance(error, BadInput) else None
        return self.fields.get(name or "", self.first)


@dataclass(frozen=True)
class Surface:
    """One domain's face in Slack."""

    actions: Mapping[str, ActionHandler] = field(default_factory=dict)
    forms: Mapping[str, Form] = field(default_factory=dict)
    subcommands: Sequence[Subcommand] = ()  # words after /learn
    commands: Mapping[str, CommandHandler] = field(default_factory=dict)  # slash commands of their own
    shortcuts: Mapping[str, CommandHandler] = field(default_factory=dict)  # message shortcuts
    events: Mapping[str, EventHandler] = field(default_factory=dict)


def register(app: App, services: Services, surfaces: Sequence[Surface], *, learn: CommandRouter) -> None:
    """One Bolt listener per kind of request, each routing through the surfaces' tables by id.

    Bolt tries its listeners in order and each try costs an argument injection; a listener per action id
    would make every request walk dozens of them. A dictionary lookup routes in constant time.
    """
    actions = {action_id: h for surface in surfaces for action_id, h in surface.actions.items()}
    forms = {callback_id: form for surface in surfaces for callback_id, form in surface.forms.items()}
    commands: dict[str, tuple[CommandHandler, tuple[tuple[str, str], ...]]] = {
        learn.command: (learn.dispatch, tuple(learn.usages()))
    }
    commands.update({name: (h, ()) for surface in surfaces for name, h in surface.commands.items()})
    shortcuts = {callback_id: h for surface in surfaces for callback_id, h in surface.shortcuts.items()}
    app.command(re.compile(r"^/"))(_on_command(services, commands))
    app.action(re.compile(r".*"))(_on_click(services, actions))
    app.view(re.compile(r".*"))(_on_submit(services, forms))
    app.shortcut(re.compile(r".*"))(_on_shortcut(services, shortcuts))
    for event in {name for surface in surfaces for name in surface.events}:
        handlers = [surface.events[event] for surface in surfaces if event in surface.events]
        app.event(event)(_on_event(services, handlers))


def _unrouted(kind: str, name: str) -> Reply:
    """A request no table knows (an old message's button after an upgrade, a forged id): acked, logged."""
    log.warning("no handler for %s %r", kind, name)
    return Reply(text="That button is out of date. Try `/learn` again.")


def _done(services: Services, context: BoltContext) -> None:
    """The work of a request acknowledged at the edge is done (answered, or told what went wrong)."""
    accepted = context.get("accepted")
    if isinstance(accepted, int):
        try:
            services.inbox.done(accepted)
        except Exception as error:  # it will be replayed; the person may get the answer twice
            log.warning("could not mark request %s done: %s", accepted, error.__class__.__name__)


def _unknown_command(services: Services, ask: Ask) -> Reply:
    return Reply(text="I don't know that command. Try `/learn help`.")


def person_of(context: BoltContext, services: Services, *, complete: bool = True) -> PersonRef:
    """The person the middleware resolved; someone seen for the first time gets their profile read now,
    after the ack (the directory may be slow), unless `complete` is False."""
    person = context.get("person")
    if not isinstance(person, PersonRef):
        failure = context.get("person_error")
        raise failure if isinstance(failure, Exception) else Unavailable("I don't know who sent this.")
    return services.people.complete(person) if person.is_new and complete else person


def _on_click(services: Services, table: Mapping[str, ActionHandler]) -> Callable[..., None]:
    def listener(ack: Ack, body: dict[str, Any], context: BoltContext, respond: Respond, client: WebClient) -> None:
        ack()
        try:
            person = person_of(context, services)
            click = read_click(body, person)
            handler = table.get(click.action_id.split(":")[0])
            reply = handler(services, click) if handler else _unrouted("action", click.action_id)
            answer_click(reply, asked=described(body), body=body, person=person, client=client, services=services)
            services.send_soon()
        except Exception as error:
            tell_about(error, body=body, respond=respond, client=client)
        finally:
            _done(services, context)

    return listener


def _on_submit(services: Services, table: Mapping[str, Form]) -> Callable[..., None]:
    """Validate and apply before the ack, so a refusal shows under its field and the window stays open;
    whatever goes wrong after the ack is told in the DM."""

    def listener(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        form = table.get(str(view.get("callback_id")))
        if form is None:
            ack()
            log.warning("no handler for window %r", view.get("callback_id"))
            return
        try:
            person = person_of(context, services, complete=False)  # before the ack: no directory call
            reply = form.handler(services, read_submission(view, person))
        except BotError as error:
            log_error(error)
            ack(response_action="errors", errors={form.block_for(error): error.message})
            return
        except Exception as error:
            ack()
            tell_about(error, body=body, respond=None, client=client)
            return
        if reply.modal is not None:  # the window turns into what was saved
            ack(response_action="update", view=reply.modal)
        else:
            ack()
        try:
            answer_after_submit(reply, asked=described(body), person=person, client=client, services=services)
            services.send_soon()
        except Exception as error:
            tell_about(error, body=body, respond=None, client=client)

    return listener


def _on_command(
    services: Services, table: Mapping[str, tuple[CommandHandler, tuple[tuple[str, str], ...]]]
) -> Callable[..., None]:
    def listener(ack: Ack, command: dict[str, Any], context: BoltContext, respond: Respond, client: WebClient) -> None:
        ack()
        try:
            handler, usages = table.get(str(command.get("command")), (_unknown_command, ()))
            person = person_of(context, services)
            ask = Ask(person, unescape(command.get("text") or ""), str(command.get("channel_id") or ""), usages)
            reply = handler(services, ask)
            answer_command(
                reply,
                asked=described(command),
                channel=ask.channel,
                user=person.slack_user_id,
                response_url=respond.response_url,
                client=client,
                trigger_id=str(command.get("trigger_id")),
            )
        except Exception as error:
            tell_about(error, body=command, respond=respond, client=client)
        finally:
            _done(services, context)

    return listener


def _on_shortcut(services: Services, table: Mapping[str, CommandHandler]) -> Callable[..., None]:
    def listener(ack: Ack, body: dict[str, Any], context: BoltContext, respond: Respond, client: WebClient) -> None:
        ack()
        try:
            person = person_of(context, services)
            channel = str((body.get("channel") or {}).get("id") or "")
            message = body.get("message") or {}  # an object (the edge checked its shape); none for global ones
            ask = Ask(person, str(message.get("text") or ""), channel, link=_permalink(client, channel, message))
            handler = table.get(str(body.get("callback_id")))
            reply = handler(services, ask) if handler else _unrouted("shortcut", str(body.get("callback_id")))
            answer_command(
                reply,
                asked=described(body),
                channel=channel,
                user=person.slack_user_id,
                response_url=respond.response_url,
                client=client,
                trigger_id=str(body.get("trigger_id")),
            )
        except Exception as error:
            tell_about(error, body=body, respond=respond, client=client)
        finally:
            _done(services, context)

    return listener


def _permalink(client: WebClient, channel: str, message: Mapping[str, Any]) -> str:
    """The link to the message a shortcut was used on; "" when Slack cannot say (it is only a convenience)."""
    try:
        return str(client.chat_getPermalink(channel=channel, message_ts=str(message.get("ts") or ""))["permalink"])
    except Exception as error:
        log.warning("no permalink for a shortcut's message: %s", error.__class__.__name__)
        return ""


def _on_event(services: Services, handlers: Sequence[EventHandler]) -> Callable[..., None]:
    """Events need no ack of ours; one that fails is told to the person in their DM where there is one."""

    def listener(body: dict[str, Any], event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        try:
            person = context.get("person")
            resolved = person if isinstance(person, PersonRef) else None
            for handler in handlers:
                handler(services, Event(str(body.get("team_id") or ""), event, resolved), client)
        except Exception as error:
            tell_about(error, body=body, respond=None, client=client)

    return listener
