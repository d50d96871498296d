"""The Slack layout of scheduled messages (the MessageRenderer the services are given)."""

from __future__ import annotations

from bot.services.catalogue import ResourceView
from bot.services.messages import Payload
from bot.slack.blocks import library


class SlackMessages:
    def followup(self, resource: ResourceView) -> Payload:
        return {"text": f"Did {resource.title} help?", "blocks": library.followup_blocks(resource)}
