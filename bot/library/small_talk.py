"""Small talk is not a question for the library: "hi", "Hello!", "thanks a lot", "thanks, that was really
useful!" get a greeting or a thank-you back, never a search (nor a moment of need)."""

from __future__ import annotations

import re

GREETINGS = frozenset({"hi", "hello", "hey", "hiya", "howdy", "morning", "afternoon", "evening"})
THANKS = frozenset({"thanks", "thank", "thx", "cheers", "ty"})
# What may follow a thank-you and keep it one: a word outside these ("thanks, how do I...") makes it a question.
APPRECIATION = frozenset(
    """
    a lot so much very really super that this it was is s just exactly what i needed you for the help helpful
    useful great perfect awesome brilliant nice amazing good spot on
    """.split()  # noqa: SIM905
)


def small_talk(text: str) -> str | None:
    """The kind of small talk ("greeting", "thanks"), or None for anything else."""
    words = re.findall(r"[a-z]+", text.lower())
    if not words:
        return None
    if words[0] in THANKS and len(words) <= 10 and all(word in APPRECIATION for word in words[1:]):
        return "thanks"
    if len(words) > 3:
        return None
    if words[0] in GREETINGS or words[:2] == ["good", "morning"]:
        return "greeting"
    return "thanks" if words[0] in THANKS else None
