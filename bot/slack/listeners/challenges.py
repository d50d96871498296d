"""Challenges in Slack, proposing and answering: /challenge and the "Start a challenge" shortcut (the
proposal window, redrawn as the challenge and colleagues are picked), the invitation's answers, and the
proposer's own list (every proposal, page by page, with Nudge, Edit and Cancel). The thread is in
`challenge_thread`, the end in `challenge_endings`."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from bot.challenges.proposal_types import CannotPropose, NewProposal
from bot.challenges.types import ChangeAsked
from bot.errors import BadInput
from bot.slack.blocks import challenge_home as home
from bot.slack.blocks import challenge_windows as windows
from bot.slack.blocks import challenges as blocks
from bot.slack.blocks.challenge_words import cancelled_line, change_decided_line, change_text, field_problem
from bot.slack.blocks.practice_windows import saved_modal
from bot.slack.deps import Services
from bot.slack.replies import Reply
from bot.slack.requests import Ask, Click, Submission
from bot.slack.routes import Form, Surface
from bot.slack.text import safe

SHOWN_PROPOSALS = 3  # in `/challenge`: the newest, then "See them all"


# -- proposing ---------------------------------------------------------------------------------------------------
def challenge(services: Services, ask: Ask) -> Reply:
    """`/challenge` lists yours and the ones you proposed; `/challenge help` explains; with colleagues or a
    challenge named, it opens the proposal window with them filled in."""
    if ask.text.strip().lower() in ("help", "?"):
        return Reply(text="Challenges", blocks=blocks.help_blocks())
    if not ask.text.strip():
        cards = services.challenge_thread.mine(ask.person)
        proposed = services.challenge_home.proposed(ask.person)
        mine = blocks.mine_blocks(cards) if cards or not proposed.total else []  # a proposer's list is not "none"
        shown = mine + home.proposed_summary(proposed, limit=SHOWN_PROPOSALS)
        return Reply(text="Your challenges", blocks=shown)
    return _window(services, ask, ask.mentions, ask.words)


def start_from_message(services: Services, ask: Ask) -> Reply:
    return _window(services, ask, (), [], link=ask.link or None)


def _window(
    services: Services, ask: Ask, colleagues: tuple[str, ...], words: list[str], *, link: str | None = None
) -> Reply:
    draft = services.challenge_drafts.draft(ask.person, colleagues, words, link)
    return Reply(modal=windows.propose_modal(draft, services.challenge_drafts.skills()))


def pick(services: Services, click: Click) -> Reply:
    """A challenge or colleagues picked in the proposal window: it shows what that challenge asks, and whom
    it may not fit, before anything is sent."""
    template = ((click.values.get("template") or {}).get(windows.PICK) or {}).get("selected_option") or {}
    users = ((click.values.get("colleagues") or {}).get(windows.PICK) or {}).get("selected_users") or []
    key = template.get("value") if isinstance(template, dict) else None
    try:
        metadata = json.loads(click.metadata) if click.metadata else {}
    except ValueError:
        metadata = {}
    link = _anchor(metadata if isinstance(metadata, dict) else {})
    colleagues = tuple(str(user) for user in users if isinstance(user, str))
    draft = services.challenge_drafts.draft(click.person, colleagues, [key] if isinstance(key, str) else [], link)
    return Reply(window=windows.propose_modal(draft, services.challenge_drafts.skills()))


def propose(services: Services, submission: Submission) -> Reply:
    template = submission.selected("template", windows.PICK)
    new = NewProposal(
        colleagues=tuple(submission.users("colleagues", windows.PICK)),
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
        anchor_link=_anchor(submission.data),
    )
    try:  # checked and recorded before the window closes: refusals under the field, nothing lost after
        proposal_id = services.challenges.prepare(submission.person, new)
    except CannotPropose as cannot:
        raise BadInput(field_problem(cannot.problem, cannot.name, cannot.again), field="colleagues") from None

    def send() -> Reply:
        services.challenges.send(submission.person, proposal_id)  # the proposer hears who was asked in the DM
        return Reply(home=True)

    says = "what each colleague says" if len(new.colleagues) > 1 else "what they say"
    lines = [f"Sending it now; I'll tell you in our DM who was asked, and {says}."]
    return Reply(modal=saved_modal("Proposed", lines), then=send)


def _anchor(data: Mapping[str, Any]) -> str | None:
    """The link to the message a proposal was started from, carried by its window."""
    link = data.get("a")
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
    title = services.challenge_answers.decline(click.person, click.number("c"))
    line = f"No problem: you declined *{safe(title, 200)}*. I've let them know."
    return Reply(text=line, replace=True, home=click.on_home)


def ask_change(services: Services, click: Click) -> Reply:
    card = services.challenge_answers.baseline_form(click.person, click.number("c"))
    return Reply(modal=windows.change_modal(card.challenge_id, card.title))


def _change_in(submission: Submission) -> ChangeAsked:
    """The length, target and start a change or edit window asks for (None where left as it was)."""
    days = submission.selected("days")
    return ChangeAsked(
        int(days) if days and days.isdigit() else None, submission.whole("target"), submission.date("start")
    )


def change(services: Services, submission: Submission) -> Reply:
    answer = services.challenge_answers.ask_change(submission.person, submission.number("c"), _change_in(submission))
    line = f"I've asked for {change_text(answer)}. I'll tell you what they say."
    return Reply(modal=saved_modal("Sent", [line]), home=True)


def agree(services: Services, click: Click) -> Reply:
    decided = services.challenge_answers.answer_change(click.person, click.number("c"), agree=True)
    return Reply(text=change_decided_line(decided.person_user_id, decided.outcome), replace=True)


def keep(services: Services, click: Click) -> Reply:
    decided = services.challenge_answers.answer_change(click.person, click.number("c"), agree=False)
    return Reply(text=change_decided_line(decided.person_user_id, decided.outcome), replace=True)


# -- the proposer's list -----------------------------------------------------------------------------------------
def proposed(services: Services, click: Click) -> Reply:
    """Every challenge the person proposed, a page at a time: opened from the Home tab or `/challenge`,
    turned page by page in place."""
    view = home.proposed_modal(services.challenge_home.proposed(click.person, click.optional_number("p") or 0))
    return Reply(window=view) if click.window else Reply(modal=view)


def nudge(services: Services, click: Click) -> Reply:
    """The proposer's one polite nudge to a colleague who has not answered (instead of the reminder)."""
    nudged = services.challenge_revisions.nudge(click.person, click.number("c"))
    line = (
        f"I've nudged <@{nudged}>, once. I won't remind them again." if nudged else "They've been asked again already."
    )
    return _refreshed(services, click, line)


def cancel(services: Services, click: Click) -> Reply:
    return _refreshed(
        services, click, cancelled_line(services.challenge_course.cancel(click.person, click.number("p")))
    )


def _refreshed(services: Services, click: Click, line: str) -> Reply:
    """Said next to the button; a list it was pressed in (a window, the Home tab) shows the change."""
    if click.window:  # the same page again, as it is now
        try:
            shown = json.loads(click.metadata).get("p") if click.metadata else 0
        except (ValueError, AttributeError):
            shown = 0
        page = services.challenge_home.proposed(click.person, shown if isinstance(shown, int) else 0)
        return Reply(window=home.proposed_modal(page))
    return Reply(text=line, home=click.on_home)


def edit_window(services: Services, click: Click) -> Reply:
    editing = services.challenge_revisions.editing(click.person, click.number("p"))
    return Reply(modal=windows.edit_proposal_modal(editing.proposal_id, editing.title, editing.note))


def edited(services: Services, submission: Submission) -> Reply:
    count = services.challenge_revisions.edit(
        submission.person, submission.number("p"), _change_in(submission), note=submission.text("note").strip()
    )
    said = "Their invitation shows" if count == 1 else f"All {count} invitations show"
    return Reply(modal=saved_modal("Saved", [f"Saved. {said} the new version."]), home=True)


SURFACE = Surface(
    commands={"/challenge": challenge},
    shortcuts={"start_challenge": start_from_message},
    actions={
        windows.PICK: pick,
        "challenge_accept": accept,
        "challenge_decline": decline,
        "challenge_change": ask_change,
        "challenge_agree": agree,
        "challenge_keep": keep,
        "challenge_cancel": cancel,
        home.SEE_ALL: proposed,
        "challenge_nudge": nudge,
        "challenge_edit": edit_window,
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
        "challenge_edit": Form(edited, fields={"days": "days", "target": "target", "start": "start"}, first="days"),
    },
)
