"""From a moment of need to a draft micro-resource: one of the report's top topics becomes a one-page guide in
`<content>/drafts/<key>.yaml`, in the library's resource schema, for an admin to review and publish.

Only what the report already made group-safe goes in: the topic's words and the phrasings at least the minimum
group typed (`Topic.phrasings`). Never a person, never another phrasing."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml

from bot.clock import Clock
from bot.content.loader import DRAFTS
from bot.content.schema import TITLE_MAX, ResourceKind, ResourcesFile
from bot.errors import BadInput, NotAllowed, NotFound
from bot.library.shelf import Indexed, Shelf
from bot.llm.types import Writer, WriteRequest
from bot.reports.draft_files import create_exclusively, draft_yaml, key_base, keys_in_use
from bot.reports.needs import EXAMPLES, TOP
from bot.reports.types import Needs, Topic
from bot.reports.values import Suppressed

PROMPT = "draft_resource"
MINUTES = 5  # a one-page guide
REVIEW_AFTER = timedelta(days=90)  # review_by: when the published guide should be checked again
OWNER = "learning-team"
KEY_TRIES = 50  # giving-feedback-to-my-boss, …-2, …, …-50: past that, the admin has drafts to clear first
TITLE_TAIL = ": a ten-minute guide"
LEAD_MAX = TITLE_MAX - len(TITLE_TAIL)  # the topic as the title begins
MOMENT_MAX, KEYWORD_MAX = 120, 60  # the schema's limits: a longer phrasing is left out, never cut


@dataclass(frozen=True)
class DraftWritten:
    path: Path  # <content>/drafts/<key>.yaml
    key: str
    title: str
    ai: bool  # the body was written by a model: whoever reviews it checks every line


def top_topic(needs: Needs, rank: int) -> Topic:
    """The report's moment of need ranked `rank` (1 to 3); BadInput or NotFound, in plain words, otherwise."""
    if rank not in range(1, TOP + 1):
        raise BadInput(f"a moment of need is ranked 1 to {TOP}, not {rank}", field="need")
    for topic in needs.topics:
        if topic.rank == rank:
            return topic
    raise NotFound(f"there is no moment of need ranked {rank} in this period ({len(needs.topics)} found)")


class Drafts:
    """Writes one top moment of need as a draft resource for an admin to review. Needs no Slack:

        drafts = Drafts(shelf=world.shelf, writer=world.writer, content_dir=settings.content_dir, clock=clock)
        written = drafts.write(top_topic(report.needs, rank), workspace_id=workspace_id)

    `write` returns `DraftWritten(path, key, title, ai)`. It raises `NotAllowed` for a topic from fewer than the
    minimum group (its label is `Suppressed`: nothing about it may be written) or when every key for it is taken,
    `NotFound` when no skill of the library fits it or the content directory is missing: each a `BotError` whose
    message can be shown as it is. It never replaces a file: a taken key gets `-2`, `-3`, …
    """

    def __init__(
        self,
        *,
        shelf: Shelf,
        writer: Writer,
        content_dir: Path,
        clock: Clock,
        deadline: float | None = None,
        owner: str = OWNER,
    ) -> None:
        self._shelf = shelf
        self._writer = writer
        self._content_dir = content_dir
        self._clock = clock
        self._deadline = deadline  # seconds for the model; None: the client's own timeout
        self._owner = owner

    def write(self, topic: Topic, *, workspace_id: int | None = None) -> DraftWritten:
        """Write `<content>/drafts/<key>.yaml` for `topic` (the model writes the guide when configured and in
        time, the prompt's template otherwise); the file passes `content validate`."""
        label = _label(topic)
        if not self._content_dir.is_dir():
            raise NotFound(f"no content directory at {self._content_dir}")
        indexed = self._shelf.current()
        skill = skill_for(label, indexed)
        phrasings = [" ".join(text.split()) for text in topic.phrasings]
        lead = _cut(phrasings[0] if phrasings else label, LEAD_MAX)  # the most typed phrasing reads best
        written = self._writer.write(
            WriteRequest(
                prompt=PROMPT,
                variables={
                    "topic": lead,
                    "skill": indexed.catalogue.skill_name(skill),
                    "offered": "; ".join(topic.offered) or "nothing yet",
                },
                user_text="\n".join(phrasings) or None,  # people's words, group-safe: data in a message of its own
                workspace_id=workspace_id,
                deadline=self._deadline,
            )
        )
        fields = {
            "key": "",
            "title": f"{lead[:1].upper()}{lead[1:]}{TITLE_TAIL}",
            "kind": ResourceKind.GUIDE.value,
            "minutes": MINUTES,
            "summary": f"What to do in the next ten minutes about {lead}: steps, an example and a prompt to try.",
            "body": written.text.strip(),
            "skills": [skill],
            "roles": [],
            "moments": _unique([text for text in phrasings if len(text) <= MOMENT_MAX])
            or [_cut(f"when you need help with {label}", MOMENT_MAX)],
            "keywords": _unique([text for text in (label, *phrasings) if len(text) <= KEYWORD_MAX]),
            "owner": self._owner,
            "review_by": self._clock.now().date() + REVIEW_AFTER,
            "notes": self._note(topic, ai=written.ai),
        }
        return self._save(fields, key_base(lead), indexed, ai=written.ai)

    def _note(self, topic: Topic, *, ai: bool) -> str:
        """For authors only (`notes` is never shown): what this is and what to do with it."""
        today = self._clock.now().date().isoformat()
        body = "a model (AI): check every line" if ai else "the template: make it specific"
        return (
            f"DRAFT for an admin to review, written on {today} by `content draft` from moment of need "
            f"#{topic.rank} ({topic.people} people). The body is from {body}. Check the title, the skill, the "
            "owner and review_by, delete this note, then move the file into content/resources/ to publish it."
        )

    def _save(self, fields: dict[str, Any], base: str, indexed: Indexed, *, ai: bool) -> DraftWritten:
        """Under the first free key from `base`: free in the library (database and files, resources and
        techniques, file names too, as publishing moves this file beside them) and among the drafts."""
        folder = self._content_dir / DRAFTS
        taken = keys_in_use(self._content_dir) | set(indexed.catalogue.resources) | set(indexed.catalogue.techniques)
        for key in (base, *(f"{base}-{n}" for n in range(2, KEY_TRIES + 1))):
            if key in taken:
                continue
            text = draft_yaml({**fields, "key": key})
            ResourcesFile.model_validate(yaml.safe_load(text))  # what validate will read: a failure here is a bug
            path = folder / f"{key}.yaml"
            if create_exclusively(path, text):  # False: another draft took the key a moment ago
                return DraftWritten(path=path, key=key, title=str(fields["title"]), ai=ai)
        raise NotAllowed(f"every key from {base} to {base}-{KEY_TRIES} is taken: review or remove drafts in {folder}")


def skill_for(label: str, indexed: Indexed) -> str:
    """The skill a draft builds. The library's best hits for the topic say where an admin would shelve it: the
    main skill most of them share (the best hit breaks a tie). Without hits, the skill the topic names, as its
    "I'm stuck" moments do (they are counted under the skill's name). Else NotFound."""
    state = indexed.catalogue
    hits = indexed.index.search(label, limit=EXAMPLES).hits
    found = [state.resources[hit.key].skills[0] for hit in hits if hit.key in state.resources]
    known = [skill for skill in found if skill in state.skills]
    if known:
        counts = Counter(known)
        return max(known, key=lambda skill: (counts[skill], -known.index(skill)))
    analyzer = indexed.index.analyzer
    terms = set(analyzer.terms(label))
    named = {key: set(analyzer.terms(skill.name)) for key, skill in state.skills.items()}
    fitting = [key for key, needed in named.items() if needed and needed <= terms]
    if fitting:
        return max(fitting, key=lambda key: (len(named[key]), key))
    raise NotFound(f"no skill in the library fits “{label}”: add one to skills.yaml, or a resource on it, first")


def _label(topic: Topic) -> str:
    if isinstance(topic.label, Suppressed) or not isinstance(topic.label, str) or not topic.label.strip():
        raise NotAllowed(
            f"moment of need #{topic.rank} comes from fewer people than the minimum group, so it cannot be drafted"
        )
    return " ".join(topic.label.split())


def _cut(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


def _unique(texts: list[str]) -> list[str]:
    """Each text once, whatever its case, in order."""
    first: dict[str, str] = {}
    for text in texts:
        first.setdefault(text.lower(), text)
    return list(first.values())
