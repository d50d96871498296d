"""Small talk is not a question for the library: "hi", "Hello!", "thanks a lot" get a greeting or a thank-you
back, never a search (nor a moment of need)."""

from __future__ import annotations

import re

GREETINGS = frozenset({"hi", "hello", "hey", "hiya", "howdy", "morning", "afternoon", "evening"})
THANKS = frozenset({"thanks", "thank", "thx", "cheers", "ty"})


def small_talk(text: str) -> str | None:
    """The kind of small talk ("greeting", "thanks"), or None for anything else."""
    words = re.findall(r"[a-z]+", text.lower())
    if not words or len(words) > 3:
        return None
    if words[0] in GREETINGS or words[:2] == ["good", "morning"]:
        return "greeting"
    return "thanks" if words[0] in THANKS else None
