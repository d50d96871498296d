"""Challenges in Slack: /challenge and the "Start a challenge" shortcut (the proposal window), the
invitation's answers, the thread's card and check-ins, replies in the thread (private reflections) and the
course of a challenge (pause, extend, withdraw, cancel). Its end is in `challenge_endings`."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.challenges.types import Logged, NewProposal
from bot.errors import BadInput
from bot.slack.blocks import challenge_windows as windows
from bot.slack.blocks import challenges as blocks
from bot.slack.blocks import kit
from bot.slack.blocks.practice_windows import saved_modal
from bot.slack.deps import Services
from bot.slack.replies import Reply, Update
from bot.slack.requests import Ask, Click, Submission
from bot.slack.routes import Event, Form, Surface
from bot.slack.text import safe


# -- proposing ---------------------------------------------------------------------------------------------------
def challenge(services: Services, ask: Ask) -> Reply:
    """`/challenge` lists yours; `/challenge help` explains; with colleagues or a challenge named, it opens
    the proposal window with them filled in."""
    words = ask.text.strip()
    if words.lower() in ("help", "?"):
        return Reply(text="Challenges", blocks=blocks.help_blocks())
    if not words:
        cards = services.challenge_thread.mine(ask.person)
        return Reply(text="Your challenges", blocks=blocks.mine_blocks(cards))
    return _window(services, ask, words)


def start_from_message(services: Services, ask: Ask) -> Reply:
    return _window(services, ask, "", link=ask.link or None)


def _window(services: Services, ask: Ask, words: str, *, link: str | None = None) -> Reply:
    draft = services.challenges.draft(ask.person, words, link)
    return Reply(modal=windows.propose_modal(draft, services.challenges.skills()))


def propose(services: Services, submission: Submission) -> Reply:
    template = submission.selected("template")
    new = NewProposal(
        colleagues=tuple(submission.users("colleagues")),
        template_key=None if template in (None, windows.CUSTOM) else template,
        title=submission.text("title"),
        brief=submission.text("brief"),
        skill_key=submission.selected("skill") or "",
        target_count=submission.whole("target"),
        target_unit=submission.text("target_unit"),
        start=submission.date("start"),
        days=int(days) if (days := submission.selected("days")) and days.isdigit() else None,
        note=submission.text("note").strip(),
        peer_channel=submission.conversation("channel"),
        anchor_link=_anchor(submission),
    )
    services.challenges.check(submission.person, new)  # before the window closes: refusals under the field

    def send() -> Reply:
        outcomes = services.challenges.propose(submission.person, new)
        return Reply(text="Your proposal", blocks=blocks.proposed_blocks(outcomes))

    return Reply(
        modal=saved_modal("Proposed", ["Sending it now; I'll tell you here what each colleague says."]), then=send
    )


def _anchor(submission: Submission) -> str | None:
    link = submission.data.get("a")
    return link if isinstance(link, str) and link.startswith("https://") else None


# -- answering a proposal ----------------------------------------------------------------------------------------
def accept(services: Services, click: Click) -> Reply:
    form = services.challenge_answers.baseline_form(click.person, click.number("c"))
    return Reply(modal=windows.baseline_modal(form))


def baseline(services: Services, submission: Submission) -> Reply:
    level = submission.selected("baseline")
    card = services.challenge_answers.accept(
        submission.person,
        submission.number("c"),
        baseline=int(level) if level and level.isdigit() else None,
        share="yes" in submission.chosen("share"),
    )
    lines = [f"*{safe(card.terms.title, 200)}* starts {card.start:%a %d %b}.", "Your challenge thread is in our DM."]
    return Reply(modal=saved_modal("Started", lines), home=True)


def decline(services: Services, click: Click) -> Reply:
    line = services.challenge_answers.decline(click.person, click.number("c"))
    return Reply(text=line, replace=True, home=click.on_home)


def ask_change(services: Services, click: Click) -> Reply:
    card = services.challenge_answers.baseline_form(click.person, click.number("c"))
    return Reply(modal=windows.change_modal(card.challenge_id, card.title))


def change(services: Services, submission: Submission) -> Reply:
    days = submission.selected("days")
    line = services.challenge_answers.ask_change(
        submission.person,
        submission.number("c"),
        days=int(days) if days and days.isdigit() else None,
        target=submission.whole("target"),
        start=submission.date("start"),
    )
    return Reply(modal=saved_modal("Sent", [line]), home=True)


def agree(services: Services, click: Click) -> Reply:
    return Reply(
        text=services.challenge_answers.answer_change(click.person, click.number("c"), agree=True), replace=True
    )


def keep(services: Services, click: Click) -> Reply:
    return Reply(
        text=services.challenge_answers.answer_change(click.person, click.number("c"), agree=False), replace=True
    )


# -- the thread --------------------------------------------------------------------------------------------------
def log_window(services: Services, click: Click) -> Reply:
    return Reply(modal=windows.log_modal(services.challenge_thread.card(click.person, click.number("c"))))


def reflect_window(services: Services, click: Click) -> Reply:
    card, question = services.challenge_thread.reflection_question(click.person, click.number("c"))
    return Reply(modal=windows.reflect_modal(card, question))


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
    return Reply(text=found.line, blocks=blocks.stuck_blocks(found), home=click.on_home)


def tip(services: Services, click: Click) -> Reply:
    written = services.challenge_thread.tip(click.person, click.number("c"))
    return Reply(text=written.text, blocks=[kit.section(safe(written.text, 1500))])


def snooze(services: Services, click: Click) -> Reply:
    return Reply(text=services.challenge_thread.snooze(click.person, click.number("c"), click.number("d")))


def keep_going(services: Services, click: Click) -> Reply:
    return Reply(text=services.challenge_thread.keep_going(click.person, click.number("c")))


# -- the course of a challenge -----------------------------------------------------------------------------------
def pause(services: Services, click: Click) -> Reply:
    return _changed(services.challenge_course.pause(click.person, click.number("c")), click)


def resume(services: Services, click: Click) -> Reply:
    return _changed(services.challenge_course.resume(click.person, click.number("c")), click)


def extend(services: Services, click: Click) -> Reply:
    return _changed(services.challenge_course.extend(click.person, click.number("c")), click)


def withdraw(services: Services, click: Click) -> Reply:
    return _changed(services.challenge_course.withdraw(click.person, click.number("c")), click)


def cancel(services: Services, click: Click) -> Reply:
    return Reply(text=services.challenge_course.cancel(click.person, click.number("p")), home=click.on_home)


def _changed(logged: Logged, click: Click) -> Reply:
    """The card changed: put it in place, say what happened next to the button (or in the Home tab)."""
    return Reply(text=logged.line, updates=card_update(logged), home=click.on_home)


def _logged(logged: Logged, title: str) -> Reply:
    return Reply(modal=saved_modal(title, [logged.line]), updates=card_update(logged), home=True)


def card_update(logged: Logged) -> tuple[Update, ...]:
    if logged.card_at is None:
        return ()
    channel, ts = logged.card_at
    text = f"Your challenge: {safe(logged.card.terms.title, 150)}"
    return (Update(channel, ts, text, blocks.card_blocks(logged.card)),)


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
    client.chat_postMessage(channel=str(data["channel"]), thread_ts=thread_ts, text=logged.line)
    for update in card_update(logged):
        client.chat_update(channel=update.channel, ts=update.ts, text=update.text, blocks=update.blocks)


SURFACE = Surface(
    commands={"/challenge": challenge},
    shortcuts={"start_challenge": start_from_message},
    actions={
        "challenge_accept": accept,
        "challenge_decline": decline,
        "challenge_change": ask_change,
        "challenge_agree": agree,
        "challenge_keep": keep,
        "challenge_log": log_window,
        "challenge_reflect": reflect_window,
        "challenge_stuck": stuck,
        "challenge_tip": tip,
        "challenge_snooze": snooze,
        "challenge_keep_going": keep_going,
        "challenge_pause": pause,
        "challenge_resume": resume,
        "challenge_extend": extend,
        "challenge_withdraw": withdraw,
        "challenge_cancel": cancel,
    },
    forms={
        "challenge_propose": Form(
            propose,
            fields={
                "colleagues": "colleagues",
                "template": "template",
                "title": "title",
                "brief": "brief",
                "skill": "skill",
                "target": "target",
                "target_unit": "target_unit",
                "start": "start",
                "days": "days",
            },
            first="colleagues",
        ),
        "challenge_baseline": Form(baseline, fields={"baseline": "baseline"}, first="baseline"),
        "challenge_change": Form(change, fields={"days": "days", "target": "target", "start": "start"}, first="days"),
        "challenge_log": Form(log, fields={"count": "count"}, first="count"),
        "challenge_reflect": Form(reflection, fields={"text": "text"}, first="text"),
    },
    events={"message": thread_reply},
)
