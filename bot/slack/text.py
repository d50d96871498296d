"""Text safety for mrkdwn: escape what came from people, content files or a model."""

from __future__ import annotations

import re

_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_ESCAPE_RE = re.compile("[&<>]")


def escape(text: str) -> str:
    """Make `<!channel>`, `<@U…>` and `<url|label>` inert. Nothing else is entity-encoded."""
    return _ESCAPE_RE.sub(lambda match: _ESCAPES[match.group(0)], text)


def unescape(text: str) -> str:
    """Slack sends `&`, `<`, `>` escaped in command text; turn them back into characters."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def plural(count: int, word: str, words: str | None = None) -> str:
    """`1 day`, `3 days`: a count with its noun, never `day(s)`."""
    return f"{count} {word if count == 1 else (words or word + 's')}"


def truncate(text: str, limit: int) -> str:
    """Cut to `limit` characters, ending with an ellipsis when cut; never splits an escape."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut.rstrip() + "…"


def safe(text: str, limit: int) -> str:
    """Escape, then fit within `limit`."""
    return truncate(escape(text), limit)


_FORMATTING = str.maketrans({"*": "\u2217", "_": "\uff3f", "~": "\u223c", "`": "\u02cb"})  # look-alikes


def quoted(text: str, limit: int) -> str:
    """Someone's own words shown inside a message: escaped, their formatting characters shown as look-alikes
    (so a typed `*` cannot bold or break the bot's text), in quotes, within `limit`."""
    return "“" + safe(text.translate(_FORMATTING), limit) + "”"
