"""The end of a challenge in Slack: the last day's ratings, the summary (drafted, edited, shared or kept),
the proposer's rating, and "did it stick?" with what to do next."""

from __future__ import annotations

from bot.challenges.types import Logged, Summary
from bot.slack.blocks import challenge_endings as blocks
from bot.slack.blocks import challenge_windows as windows
from bot.slack.blocks.practice import started_blocks
from bot.slack.blocks.practice_windows import saved_modal
from bot.slack.deps import Services
from bot.slack.listeners.challenges import card_update
from bot.slack.replies import Reply, Update
from bot.slack.requests import Click, Submission
from bot.slack.routes import Form, Surface


def close(services: Services, click: Click) -> Reply:
    return Reply(modal=windows.closing_modal(services.challenge_ending.rating_form(click.person, click.number("c"))))


def rate(services: Services, submission: Submission) -> Reply:
    challenge_id = submission.number("c")
    after, before = submission.selected("after"), submission.selected("before")
    services.challenge_ending.rate(
        submission.person,
        challenge_id,
        after=int(after) if after and after.isdigit() else None,
        before=int(before) if before and before.isdigit() else None,
    )

    def draft() -> Reply:
        summary = services.challenge_ending.draft(submission.person, challenge_id)
        return Reply(
            text="What you learned",
            blocks=blocks.summary_blocks(summary),
            thread=summary.thread,
            home=True,
            updates=_summary_update(summary),
        )

    lines = ["Thank you. A draft of what you learned is on its way to the challenge's thread."]
    return Reply(modal=saved_modal("Rated", lines), then=draft)


def summary_window(services: Services, click: Click) -> Reply:
    summary = services.challenge_ending.summary(click.person, click.number("c"))
    return Reply(modal=windows.summary_modal(summary, share=False))


def share_window(services: Services, click: Click) -> Reply:
    summary = services.challenge_ending.summary(click.person, click.number("c"))
    return Reply(modal=windows.summary_modal(summary, share=True))


def keep_private(services: Services, click: Click) -> Reply:
    del services, click
    return Reply(text="Kept to yourself. It stays with your finished challenges in the Home tab.", replace=True)


def edited(services: Services, submission: Submission) -> Reply:
    summary = services.challenge_ending.edit(submission.person, submission.number("c"), submission.text("summary"))
    lines = ["Saved. Share it whenever you like, or keep it."]
    return Reply(modal=saved_modal("Saved", lines), home=True, updates=_summary_update(summary))


def _summary_update(summary: Summary) -> tuple[Update, ...]:
    if summary.card is None or summary.thread is None:
        return ()
    return card_update(Logged(summary.card, "", summary.thread))


def share(services: Services, submission: Submission) -> Reply:
    line = services.challenge_ending.share(
        submission.person,
        submission.number("c"),
        text=submission.text("summary"),
        place=submission.selected("place"),
        elsewhere=submission.conversation("elsewhere"),
    )
    return Reply(modal=saved_modal("Shared", [line]), home=True)


def observe(services: Services, click: Click) -> Reply:
    line = services.challenge_ending.observe(click.person, click.number("c"), click.number("v"))
    return Reply(text=line, replace=True)


def stick(services: Services, click: Click) -> Reply:
    follow = services.challenge_ending.stuck(click.person, click.number("c"), click.number("v"))
    return Reply(text="Thanks for answering", blocks=blocks.follow_on_blocks(follow), replace=True)


def follow_on(services: Services, click: Click) -> Reply:
    return Reply(modal=windows.baseline_modal(services.challenge_answers.take_on(click.person, click.text("t"))))


def practise(services: Services, click: Click) -> Reply:
    started = services.practice.start(click.person, click.text("t"))
    reply = started_blocks(started.view, already=started.already, notice=started.zone_notice)
    return Reply(text="Practising", blocks=reply)


SURFACE = Surface(
    actions={
        "challenge_close": close,
        "challenge_summary": summary_window,
        "challenge_share": share_window,
        "challenge_keep_private": keep_private,
        "challenge_observe": observe,
        "challenge_stick": stick,
        "challenge_follow_on": follow_on,
        "challenge_practise": practise,
    },
    forms={
        "challenge_rate": Form(rate, fields={"after": "after", "before": "before", "rating": "after"}, first="after"),
        "challenge_summary": Form(edited, fields={"summary": "summary"}, first="summary"),
        "challenge_share": Form(
            share, fields={"summary": "summary", "place": "place", "elsewhere": "elsewhere"}, first="summary"
        ),
    },
)
