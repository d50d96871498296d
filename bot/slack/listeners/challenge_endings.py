"""The end of a challenge in Slack: the last day's ratings, the summary (drafted, edited, shared or kept),
the proposer's rating, and "did it stick?" with what to do next."""

from __future__ import annotations

from bot.challenges.end_types import Summary
from bot.errors import BadInput
from bot.slack.blocks import challenge_end_windows as windows
from bot.slack.blocks import challenge_endings as blocks
from bot.slack.blocks import challenge_windows
from bot.slack.blocks.practice import started_blocks
from bot.slack.blocks.practice_windows import saved_modal
from bot.slack.deps import Services
from bot.slack.listeners.challenge_thread import card_update
from bot.slack.replies import Reply, Update
from bot.slack.requests import Click, Submission
from bot.slack.routes import Form, Surface
from bot.slack.text import escape


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
        summary = services.challenge_ending.draft(submission.person, challenge_id)  # it goes to the thread
        return Reply(home=True, updates=_summary_update(summary))

    lines = ["Thank you. A draft of what you learned is on its way to the challenge's thread."]
    return Reply(modal=saved_modal("Rated", lines), then=draft)


def summary_window(services: Services, click: Click) -> Reply:
    return Reply(modal=windows.summary_modal(services.challenge_sharing.summary(click.person, click.number("c"))))


def share_window(services: Services, click: Click) -> Reply:
    return Reply(modal=windows.share_modal(services.challenge_sharing.summary(click.person, click.number("c"))))


def keep_private(services: Services, click: Click) -> Reply:
    services.challenge_sharing.summary(click.person, click.number("c"))  # only its author may press it
    return Reply(text="Kept to yourself. It stays with your finished challenges in the Home tab.", replace=True)


def edited(services: Services, submission: Submission) -> Reply:
    summary = services.challenge_ending.edit(submission.person, submission.number("c"), submission.text("summary"))
    lines = ["Saved. Share it whenever you like, or keep it."]
    return Reply(modal=saved_modal("Saved", lines), home=True, updates=_summary_update(summary))


def _summary_update(summary: Summary) -> tuple[Update, ...]:
    return card_update(summary.card, summary.thread) if summary.card is not None else ()


def preview(services: Services, submission: Submission) -> Reply:
    """The share window's text and place: shown exactly as it would be posted, before anything is."""
    shown = services.challenge_sharing.preview(
        submission.person,
        submission.number("c"),
        text=submission.text("summary"),
        place=submission.selected("place"),
        elsewhere=submission.conversation("elsewhere"),
    )
    return Reply(modal=windows.preview_modal(shown), updates=_summary_update(shown.summary))


def share(services: Services, submission: Submission) -> Reply:
    data = submission.data
    try:
        shared = services.challenge_sharing.share(
            submission.person,
            submission.number("c"),
            place=str(data.get("w") or ""),
            channel=str(data["ch"]) if isinstance(data.get("ch"), str) else None,
            seen=str(data.get("d") or ""),
        )
    except BadInput as refused:  # the preview has no field to show it under: the window says it instead
        return Reply(modal=saved_modal("Not shared", [escape(refused.message)]))
    return Reply(modal=saved_modal("Shared", [blocks.shared_line(shared)]), home=True)


def observe(services: Services, click: Click) -> Reply:
    value = services.challenge_ending.observe(click.person, click.number("c"), click.number("v"))
    return Reply(text=f"Thank you: you rated what you observed at {value} of 5.", replace=True)


def stick(services: Services, click: Click) -> Reply:
    follow = services.challenge_ending.did_it_stick(click.person, click.number("c"), click.number("v"))
    return Reply(text="Thanks for answering", blocks=blocks.follow_on_blocks(follow), replace=True)


def follow_on(services: Services, click: Click) -> Reply:
    form = services.challenge_answers.take_on(click.person, click.text("t"))
    return Reply(modal=challenge_windows.baseline_modal(form))


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
            preview, fields={"summary": "summary", "place": "place", "elsewhere": "elsewhere"}, first="summary"
        ),
        "challenge_share_confirm": Form(share),
    },
)
