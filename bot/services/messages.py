"""How the domain asks for a message to be laid out: a small protocol the Slack layer implements.

Scheduled messages are rendered when they are materialised, so the outbox holds exactly what is sent.
"""

from __future__ import annotations

from typing import Any, Protocol

from bot.services.catalogue import ResourceView

Payload = dict[str, Any]  # {"text": fallback text, "blocks": [...]}


class MessageRenderer(Protocol):
    def followup(self, resource: ResourceView) -> Payload:
        """The "did it help?" question two days after someone opened a resource."""
        ...
