"""A challenge's thread in Slack: the card's and check-ins' buttons (log progress, add a reflection, read
mine, stuck, ask me tomorrow), the course of a challenge (pause, resume, extend, withdraw), replies in the
thread (private reflections), and a DM written outside the thread by someone with a challenge going on
(asked, once and quickly, whether it is about the challenge or a question for the library)."""

from __future__ import annotations

from functools import partial

from slack_sdk import WebClient

from bot.challenges.types import Card, Logged
from bot.errors import BadInput
from bot.slack.blocks import challenge_windows as windows
from bot.slack.blocks import challenges as blocks
from bot.slack.blocks import kit
from bot.slack.blocks.challenge_words import done_line
from bot.slack.blocks.library import AI_LABEL
from bot.slack.blocks.practice_windows import saved_modal
from bot.slack.deps import Services
from bot.slack.listeners import learn
from bot.slack.replies import Reply, Update, deliver
from bot.slack.requests import Ask, Click, Submission
from bot.slack.routes import Event, Form, Surface
from bot.slack.text import safe


# -- the card's and check-ins' buttons ---------------------------------------------------------------------------
def log_window(services: Services, click: Click) -> Reply:
    return Reply(modal=windows.log_modal(services.challenge_thread.card(click.person, click.number("c"))))


def reflect_window(services: Services, click: Click) -> Reply:
    card, question = services.challenge_thread.reflection_question(click.person, click.number("c"))
    return Reply(modal=windows.reflect_modal(card, question))


def reflections_window(services: Services, click: Click) -> Reply:
    return Reply(
        modal=windows.reflections_modal(services.challenge_thread.reflections(click.person, click.number("c")))
    )


def log(services: Services, submission: Submission) -> Reply:
    count = submission.whole("count")
    if count is None:
        raise BadInput("How many did you do?", field="count")
    logged = services.challenge_thread.log_progress(
        submission.person, submission.number("c"), count=count, note=submission.text("note")
    )
    return _logged(logged, "Logged")


def reflection(services: Services, submission: Submission) -> Reply:
    logged = services.challenge_thread.reflect(submission.person, submission.number("c"), submission.text("text"))
    return _logged(logged, "Saved")


def stuck(services: Services, click: Click) -> Reply:
    found = services.challenge_thread.stuck(click.person, click.number("c"))
    return Reply(text=blocks.stuck_line(found), blocks=blocks.stuck_blocks(found), home=click.on_home)


def tip(services: Services, click: Click) -> Reply:
    written = services.challenge_thread.tip(click.person, click.number("c"))
    said = [kit.section(safe(written.text, 1500))]
    return Reply(text=written.text, blocks=[*said, kit.context(AI_LABEL)] if written.ai else said)


def snooze(services: Services, click: Click) -> Reply:
    again = services.challenge_thread.snooze(click.person, click.number("c"), click.number("d"))
    line = (
        "I'll ask again on the next working day."
        if again
        else ("You've already snoozed this check-in; reply whenever you're ready.")
    )
    return Reply(text=line)


def keep_going(services: Services, click: Click) -> Reply:
    services.challenge_thread.keep_going(click.person, click.number("c"))
    return Reply(text="Good: I'll keep the check-ins coming.")


# -- the course of a challenge -----------------------------------------------------------------------------------
def pause(services: Services, click: Click) -> Reply:
    return _changed(services.challenge_course.pause(click.person, click.number("c")), click)


def resume(services: Services, click: Click) -> Reply:
    return _changed(services.challenge_course.resume(click.person, click.number("c")), click)


def extend(services: Services, click: Click) -> Reply:
    return _changed(services.challenge_course.extend(click.person, click.number("c")), click)


def withdraw(services: Services, click: Click) -> Reply:
    return _changed(services.challenge_course.withdraw(click.person, click.number("c")), click)


def _changed(logged: Logged, click: Click) -> Reply:
    """The card changed: put it in place, say what happened next to the button (or in the Home tab)."""
    return Reply(
        text=done_line(logged.done, logged.card), updates=card_update(logged.card, logged.card_at), home=click.on_home
    )


def _logged(logged: Logged, title: str) -> Reply:
    line = done_line(logged.done, logged.card)
    return Reply(modal=saved_modal(title, [line]), updates=card_update(logged.card, logged.card_at), home=True)


def card_update(card: Card, at: tuple[str, str] | None) -> tuple[Update, ...]:
    """The card at the top of the challenge's thread, brought up to date in place (once it was posted)."""
    if at is None:
        return ()
    channel, ts = at
    return (Update(channel, ts, f"Your challenge: {safe(card.terms.title, 150)}", blocks.card_blocks(card)),)


# -- what people write -------------------------------------------------------------------------------------------
def thread_reply(services: Services, event: Event, client: WebClient) -> None:
    """A person's reply in one of their challenge threads: kept as a private reflection, acknowledged in the
    thread, and the card brought up to date."""
    data, person = event.data, event.person
    if person is None or data.get("channel_type") != "im" or data.get("subtype") or data.get("bot_id"):
        return
    thread_ts, text = data.get("thread_ts"), data.get("text")
    if not isinstance(thread_ts, str) or not isinstance(text, str) or thread_ts == data.get("ts"):
        return
    logged = services.challenge_thread.reply_in_thread(person, str(data.get("channel")), thread_ts, text)
    if logged is None:
        return
    asked = f"a reply in {person.slack_user_id}'s challenge thread"
    said = partial(
        client.chat_postMessage,
        channel=str(data["channel"]),
        thread_ts=thread_ts,
        text=done_line(logged.done, logged.card),
    )
    deliver(said, asked=asked, through="chat.postMessage")
    for update in card_update(logged.card, logged.card_at):
        edit = partial(client.chat_update, channel=update.channel, ts=update.ts, text=update.text, blocks=update.blocks)
        deliver(edit, asked=asked, through="chat.update")


def about_a_challenge(services: Services, ask: Ask) -> Reply | None:
    """A DM (not a command) from someone with a challenge going on: is it about the challenge or a question for
    the library? Asked once, with one press to answer; None when they have no challenge going on."""
    cards = services.challenge_thread.mine(ask.person)
    if not cards:
        return None
    return Reply(text="About your challenge?", blocks=blocks.triage_blocks(tuple(cards), ask.text))


def triage_reflect(services: Services, click: Click) -> Reply:
    logged = services.challenge_thread.from_dm(click.person, click.number("c"), click.text("t"), progress=False)
    return _triaged(logged)


def triage_log(services: Services, click: Click) -> Reply:
    logged = services.challenge_thread.from_dm(click.person, click.number("c"), click.text("t"), progress=True)
    return _triaged(logged)


def _triaged(logged: Logged) -> Reply:
    line = f"{done_line(logged.done, logged.card)} (in *{safe(logged.card.terms.title, 150)}*)"
    return Reply(text=line, replace=True, updates=card_update(logged.card, logged.card_at))


def triage_search(services: Services, click: Click) -> Reply:
    """A question for the library after all: searched now, as `/learn` would (a moment of need)."""
    found = learn.find(services, Ask(click.person, click.text("t"), ""))
    return Reply(text=found.text, blocks=found.blocks, replace=True)


SURFACE = Surface(
    actions={
        "challenge_log": log_window,
        "challenge_reflect": reflect_window,
        "challenge_reflections": reflections_window,
        "challenge_stuck": stuck,
        "challenge_tip": tip,
        "challenge_snooze": snooze,
        "challenge_keep_going": keep_going,
        "challenge_pause": pause,
        "challenge_resume": resume,
        "challenge_extend": extend,
        "challenge_withdraw": withdraw,
        "challenge_dm_reflect": triage_reflect,
        "challenge_dm_log": triage_log,
        "challenge_dm_search": triage_search,
    },
    forms={
        "challenge_log": Form(log, fields={"count": "count"}, first="count"),
        "challenge_reflect": Form(reflection, fields={"text": "text"}, first="text"),
    },
    events={"message": thread_reply},
)
