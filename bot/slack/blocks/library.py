"""Block Kit for the library: results, the personal menu, a resource's window, the follow-up question."""

from __future__ import annotations

import json
import re
from typing import Any

from bot.content.types import ElsewhereView, ResourceView
from bot.library.fit import Fit
from bot.library.types import Menu, Rated, Results
from bot.llm.types import Written
from bot.slack.blocks import kit
from bot.slack.text import escape, quoted, safe

KIND_LABELS = {
    "video": "Video",
    "guide": "Guide",
    "prompt": "AI prompt",
    "checklist": "Checklist",
    "article": "Article",
}
AI_LABEL = ":sparkles: Written by AI for you. Check it before you rely on it."
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def value(**fields: Any) -> str:
    return json.dumps(fields, separators=(",", ":"))


def resource_line(view: ResourceView) -> str:
    kind = KIND_LABELS.get(view.kind, view.kind)
    return f"*{safe(view.title, 150)}*\n_{kind} · {view.minutes} min_ · {safe(view.summary, 300)}"


def open_button(view: ResourceView, search_id: int | None) -> kit.Block:
    data = value(k=view.key, s=search_id)
    if view.url:
        return kit.button("Open", "resource_open", url=view.url, value=data)
    return kit.button("Show", "resource_show", value=data)


def resource_blocks(view: ResourceView, search_id: int | None) -> list[kit.Block]:
    data = value(k=view.key, s=search_id)
    return [
        kit.section(resource_line(view), accessory=open_button(view, search_id)),
        kit.actions(
            kit.button("Helpful", "resource_helpful", value=data),
            kit.button("Not helpful", "resource_not_helpful", value=data),
            kit.button("Tailor to me", "resource_tailor", value=data),
            block_id=f"rate:{view.key}",
        ),
    ]


def results_blocks(results: Results) -> list[kit.Block]:
    """Resources that answer the query, or, said plainly, the closest the library has (with Request a resource
    first among the buttons: what the person needs does not exist yet)."""
    closest = results.fit is Fit.CLOSEST
    if results.offset:
        heading = f"More for {quoted(results.query, 200)}:"
    elif closest:
        heading = f"Nothing in the library answers {quoted(results.query, 200)} exactly yet. The closest I have:"
    else:
        heading = f"The best I have for {quoted(results.query, 200)}:"
    blocks = [kit.section(heading)]
    for view in results.resources:
        blocks.extend(resource_blocks(view, results.search_id))
    request = kit.button(
        "Request a resource", "resource_request", value=value(s=results.search_id), style="primary" if closest else None
    )
    footer = [request] if closest else []
    if results.more:
        footer.append(
            kit.button("More results", "results_more", value=value(s=results.search_id, o=results.offset + 3))
        )
    footer += [] if closest else [request]
    if closest and not results.offset:
        blocks.append(kit.context("Not what you need? *Request a resource* and the learning team will see it."))
    blocks.append(kit.actions(*footer, block_id="results_footer"))
    return blocks


def no_match_blocks(query: str, search_id: int, guide: Written) -> list[kit.Block]:
    blocks = [
        kit.section(f"I have nothing in the library that really fits {quoted(query, 200)} yet."),
        kit.section(safe(guide.text, 2900)),
    ]
    if guide.ai:
        blocks.append(kit.context(AI_LABEL))
    blocks.append(
        kit.actions(
            kit.button("Request a resource", "resource_request", value=value(s=search_id), style="primary"),
            block_id="no_match",
        )
    )
    return blocks


def elsewhere_blocks(query: str, search_id: int, topic: ElsewhereView) -> list[kit.Block]:
    """Nothing yet, for a question that belongs elsewhere (IT, HR policy, the office...): said so, with where to
    ask when the content says, in place of a guide written for it."""
    blocks = [
        kit.section(
            f"I have nothing on {quoted(query, 200)}: it sounds like a question about {escape(topic.name)}, "
            "which this library leaves to others. It is about how we work together: feedback, 1:1s, "
            "meetings, decisions and the like."
        )
    ]
    if topic.where:
        blocks.append(kit.context(f"Where to ask: {safe(topic.where, 300)}"))
    blocks.append(
        kit.actions(
            kit.button("Request a resource anyway", "resource_request", value=value(s=search_id)),
            block_id="no_match",
        )
    )
    return blocks


def menu_blocks(menu: Menu) -> list[kit.Block]:
    who = f"for you as *{escape(menu.role_name)}*" if menu.role_name else "to start with"
    blocks: list[kit.Block] = [kit.section(f"Type `/learn` and what you need right now, or pick something {who}:")]
    for view in menu.recommended:
        blocks.append(kit.section(resource_line(view), accessory=open_button(view, None)))
    if menu.recent:
        blocks.append(kit.context("*Your recent items*"))
        for view in menu.recent:
            blocks.append(kit.section(resource_line(view), accessory=open_button(view, None)))
    blocks.append(
        kit.context(
            "Practise one technique for two minutes a day: `/learn practice active-listening`. "
            "Set your role and the skills you want to grow in my *Home* tab."
        )
    )
    return blocks


def markdown_to_mrkdwn(text: str) -> str:
    """The simple Markdown content is written in, as Slack mrkdwn (escaped first)."""
    lines = []
    for line in escape(text).splitlines():
        stripped = line.lstrip()
        if stripped.startswith(("- ", "* ")):
            line = line[: len(line) - len(stripped)] + "• " + stripped[2:]
        lines.append(_BOLD.sub(r"*\1*", line))
    return "\n".join(lines)


def _sections(text: str, limit: int = kit.SECTION_TEXT) -> list[kit.Block]:
    """Split long text at paragraph breaks into sections within Slack's limit."""
    blocks, chunk = [], ""
    for paragraph in text.split("\n\n"):
        candidate = f"{chunk}\n\n{paragraph}" if chunk else paragraph
        if len(candidate) <= limit:
            chunk = candidate
            continue
        if chunk:
            blocks.append(kit.section(chunk))
        chunk = paragraph[:limit]
    if chunk:
        blocks.append(kit.section(chunk))
    return blocks


def resource_modal(view: ResourceView) -> kit.Block:
    blocks: list[kit.Block] = [
        kit.header(view.title),
        kit.context(f"{KIND_LABELS.get(view.kind, view.kind)} · {view.minutes} min"),
    ]
    if view.body:
        blocks.extend(_sections(markdown_to_mrkdwn(view.body)))
    if view.prompt:
        blocks.append(kit.section("*Copy this prompt into your AI assistant* and fill in the [brackets]:"))
        blocks.append(kit.section(f"```{escape(view.prompt)[: kit.SECTION_TEXT - 6]}```"))
    if view.url:
        blocks.append(
            kit.section(
                safe(view.summary, 500),
                accessory=kit.button("Open", "resource_open", url=view.url, value=value(k=view.key, s=None)),
            )
        )
    blocks.append(
        kit.actions(
            kit.button("Helpful", "resource_helpful", value=value(k=view.key, s=None)),
            kit.button("Not helpful", "resource_not_helpful", value=value(k=view.key, s=None)),
            block_id=f"rate:{view.key}",
        )
    )
    return kit.modal(
        KIND_LABELS.get(view.kind, "Resource"), blocks, callback_id="resource_view", private_metadata=value(k=view.key)
    )


def tailored_blocks(view: ResourceView, written: Written) -> list[kit.Block]:
    blocks = [kit.section(f"*{safe(view.title, 150)}*, for you:"), kit.section(safe(written.text, 2900))]
    if written.ai:
        blocks.append(kit.context(AI_LABEL))
    return blocks


FOLLOWUP_ANSWERS = {"yes": "Yes", "not_yet": "Not yet", "no": "No"}


def followup_blocks(view: ResourceView) -> list[kit.Block]:
    """Each answer has an action id of its own (Slack refuses two equal action ids in one block)."""
    answers = [
        kit.button(
            label, f"followup_answer:{key}", value=value(k=view.key, a=key), style="primary" if key == "yes" else None
        )
        for key, label in FOLLOWUP_ANSWERS.items()
    ]
    return [
        kit.section(f"Two days ago you opened *{safe(view.title, 150)}*. Did it help?"),
        kit.actions(
            *answers,
            kit.button("Stop asking me", "followups_stop", value=value(k=view.key)),
            block_id=f"followup:{view.key}",
        ),
    ]


def followup_answered_text(rated: Rated) -> str:
    answer = FOLLOWUP_ANSWERS.get(rated.value, rated.value)
    return f"Did *{safe(rated.resource.title, 150)}* help? You said *{answer}*. Thank you."


def followup_answered_blocks(rated: Rated) -> list[kit.Block]:
    return [kit.section(followup_answered_text(rated))]


FOLLOWUPS_STOPPED = "OK, I won't ask whether resources helped any more. You can turn this back on in my Home tab."


def followups_stopped_blocks() -> list[kit.Block]:
    return [kit.section(FOLLOWUPS_STOPPED)]


def rated_text(rated: Rated) -> str:
    verdict = "helpful" if rated.value == "helpful" else "not helpful"
    return f"Thanks: *{safe(rated.resource.title, 150)}* noted as {verdict}." if rated.first else f"Updated: {verdict}."


def requested_text(query: str) -> str:
    return f"Thanks. I've asked the learning team for a resource on {quoted(query, 200)}."


def results_text(results: Results) -> str:
    """The notification text of results (what a phone shows): escaped like the blocks."""
    if results.offset:
        return f"More for {quoted(results.query, 200)}"
    lead = "The closest I have for" if results.fit is Fit.CLOSEST else "Resources for"
    return f"{lead} {quoted(results.query, 200)}"


def no_match_text(query: str) -> str:
    return f"Nothing in the library for {quoted(query, 200)} yet"
