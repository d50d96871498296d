"""Daily practice in Slack: /learn practice, the reminder's buttons, the review, settings, suggestions."""

from __future__ import annotations

import re

from bot.errors import BadInput, quote
from bot.practice.types import DayAnswer
from bot.slack.blocks import practice as blocks
from bot.slack.blocks import practice_windows as windows
from bot.slack.commands import Subcommand
from bot.slack.deps import Services
from bot.slack.replies import Reply
from bot.slack.requests import Ask, Click, Submission
from bot.slack.routes import Form, Surface
from bot.slack.text import safe

_TYPED_NAME = re.compile(r"(?<!\S)@[\w.\-]+")


def practice(services: Services, ask: Ask) -> Reply:
    """`/learn practice <technique>` starts it; with colleagues named, suggests it to them instead."""
    colleagues = list(ask.mentions)
    name = " ".join(ask.words)
    unresolved = _TYPED_NAME.findall(name)
    if unresolved:  # Slack turns a colleague picked from its list into <@U…>: this one matched nobody
        raise BadInput(
            f"I can't find {quote(unresolved[0])} in this workspace. Pick them from Slack's list as you type."
        )
    if not name:
        return Reply(text="Techniques to practise", blocks=blocks.techniques_blocks(services.practice.techniques()))
    key = services.practice.technique_key(name)
    if colleagues:
        suggested = services.suggestions.suggest(ask.person, colleagues, key)
        return Reply(text="Suggestions", blocks=blocks.suggested_blocks(suggested))
    started = services.practice.start(ask.person, key)
    reply = blocks.started_blocks(started.view, already=started.already, notice=started.zone_notice)
    return Reply(text=f"Practising {safe(started.view.technique_title, 150)}", blocks=reply)


# -- a day's reminder ---------------------------------------------------------------------------------------------
def done(services: Services, click: Click) -> Reply:
    return _answered(services.days.done(click.person, click.number("d")))


def skip(services: Services, click: Click) -> Reply:
    return _answered(services.days.skip(click.person, click.number("d")))


def snooze(services: Services, click: Click) -> Reply:
    return _answered(services.days.snooze(click.person, click.number("d")))


def _answered(answer: DayAnswer) -> Reply:
    text = f"{safe(answer.technique_title, 150)}: {answer.status}"
    return Reply(text=text, blocks=blocks.answered_blocks(answer), replace=True)


def reflect(services: Services, click: Click) -> Reply:
    return Reply(modal=windows.reflection_modal(services.days.reflection_prompt(click.person, click.number("d"))))


def reflected(services: Services, form: Submission) -> Reply:
    services.days.reflect(form.person, form.number("d"), form.text("reflection", "text"))
    return Reply(modal=windows.reflection_saved_modal(), home=True)


# -- the subscription -----------------------------------------------------------------------------------------------
def pause(services: Services, click: Click) -> Reply:
    return Reply(modal=windows.pause_modal(services.practice.pause_form(click.person, click.number("s"))))


def paused(services: Services, form: Submission) -> Reply:
    until = form.date("until", "date")
    if until is None:
        raise BadInput("Choose a date.", field="until")
    view = services.practice.pause(form.person, form.number("s"), until)
    return Reply(modal=windows.paused_modal(view), home=True)


def resume(services: Services, click: Click) -> Reply:
    services.practice.resume(click.person, click.number("s"))
    return Reply(text="" if click.on_home else "Resumed: the reminders start again.", home=True)


def keep_going(services: Services, click: Click) -> Reply:
    return Reply(text=services.days.keep_going(click.person, click.number("s")))


def stop(services: Services, click: Click) -> Reply:
    title = services.practice.stop(click.person, click.number("s"))
    return Reply(text="Stopped", blocks=blocks.stopped_blocks(title), replace=True, home=click.on_home)


def settings(services: Services, click: Click) -> Reply:
    return Reply(modal=windows.settings_modal(services.practice.settings(click.person, click.number("s"))))


def settings_saved(services: Services, form: Submission) -> Reply:
    days = tuple(_whole(value) for value in form.chosen("days"))
    if not days:
        raise BadInput("Choose at least one day.", field="weekdays")
    minute = _whole(form.selected("time") or "")
    weeks = form.selected("weeks")
    view = services.practice.change(
        form.person,
        form.number("s"),
        minute_of_day=minute,
        weekdays=days,
        weeks=None if weeks in (None, "until") else _whole(weeks or ""),
    )
    return Reply(modal=windows.settings_saved_modal(view), home=True)


def start_from_home(services: Services, click: Click) -> Reply:
    services.practice.start(click.person, click.chosen[0] if click.chosen else "")
    return Reply(home=True)


# -- suggestions and the monthly review ------------------------------------------------------------------------------
def accept(services: Services, click: Click) -> Reply:
    started = services.suggestions.accept(click.person, click.number("s"))
    reply = blocks.started_blocks(started.view, already=started.already, notice=started.zone_notice)
    return Reply(text="Accepted", blocks=reply, replace=True)


def decline(services: Services, click: Click) -> Reply:
    title = services.suggestions.decline(click.person, click.number("s"))
    return Reply(text="Declined", blocks=blocks.declined_blocks(title), replace=True)


def rate(services: Services, click: Click) -> Reply:
    rating = services.days.rate(click.person, click.number("s"), click.text("o"), click.number("r"))
    return Reply(text="Rated", blocks=blocks.rated_blocks(rating))


def keep(services: Services, click: Click) -> Reply:
    return Reply(text=blocks.KEEPING)


def change_focus(services: Services, click: Click) -> Reply:
    view = services.practice.settings(click.person, click.number("s"))
    return Reply(text="Change focus", blocks=blocks.change_focus_blocks(view, services.practice.techniques()))


def switch(services: Services, click: Click) -> Reply:
    started = services.practice.switch(click.person, click.number("s"), click.text("k"))
    reply = blocks.started_blocks(started.view, already=started.already, notice=started.zone_notice)
    return Reply(text="New focus", blocks=reply, replace=True)


def _whole(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise BadInput("That window is out of date. Please open it again.") from None


SURFACE = Surface(
    subcommands=(
        Subcommand(
            "practice",
            "/learn practice <technique> [@colleague]",
            "practise a technique for two minutes a day, or suggest it to a colleague",
            practice,
            takes_text=True,
        ),
    ),
    actions={
        "practice_done": done,
        "practice_skip": skip,
        "practice_snooze": snooze,
        "practice_reflect": reflect,
        "practice_pause": pause,
        "practice_resume": resume,
        "practice_keep_going": keep_going,
        "practice_stop": stop,
        "practice_settings": settings,
        "practice_start": start_from_home,
        "practice_accept": accept,
        "practice_decline": decline,
        "practice_rate": rate,
        "practice_keep": keep,
        "practice_change_focus": change_focus,
        "practice_switch": switch,
    },
    forms={
        "practice_reflection": Form(reflected, fields={"reflection": "reflection"}, first="reflection"),
        "practice_pause": Form(paused, fields={"until": "until"}, first="until"),
        "practice_settings": Form(
            settings_saved, fields={"minute_of_day": "time", "weekdays": "days", "weeks": "weeks"}, first="time"
        ),
    },
)
