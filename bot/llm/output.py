"""Checks on model output before anyone sees it: shape, length, links."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BaseModel, Field, ValidationError

_URL = re.compile(r"https?://[^\s<>|)\]]+")
_SLACK_LINK = re.compile(r"<(https?://[^|>]+)(?:\|([^>]*))?>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BLANK_LINES = re.compile(r"\n{3,}")


class ModelAnswer(BaseModel):
    text: Annotated[str, Field(min_length=1)]


def clean_output(raw: str | None, *, max_chars: int, allowed_links: frozenset[str]) -> str | None:
    """Plain text within `max_chars`, without links other than `allowed_links`; None when unusable."""
    try:
        answer = ModelAnswer(text=(raw or "").strip())
    except ValidationError:
        return None
    text = _CONTROL.sub("", answer.text)
    text = _SLACK_LINK.sub(lambda m: m.group(1) if m.group(1) in allowed_links else (m.group(2) or ""), text)
    text = _URL.sub(lambda m: m.group(0) if m.group(0).rstrip(".,;:") in allowed_links else "[link removed]", text)
    text = _BLANK_LINES.sub("\n\n", text).strip()
    if not text:
        return None
    return cap(text, max_chars)


def cap(text: str, limit: int) -> str:
    """Cut at the last sentence or line end before `limit`, with an ellipsis when nothing fits."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    end = max(cut.rfind(". "), cut.rfind("\n"), cut.rfind("! "), cut.rfind("? "))
    return cut[: end + 1].rstrip() if end > limit // 2 else cut.rstrip() + "…"
