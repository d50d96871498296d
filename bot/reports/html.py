"""TEMPORARY LOCAL STUB (not committed)."""

from __future__ import annotations

import html

from bot.reports.output import to_json
from bot.reports.types import Report


def to_html(report: Report) -> str:
    return "<!DOCTYPE html><pre>" + html.escape(to_json(report)) + "</pre>"
