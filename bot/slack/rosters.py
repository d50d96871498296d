"""Team rosters over Slack: a channel's members (conversations.members) and a user group's
(usergroups.users.list). Slack not answering, or refusing, is None: the teams domain keeps the last roster."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.notifier import NETWORK_ERRORS

log = logging.getLogger(__name__)

PAGES = 200  # 200 pages of 1,000 members: far beyond any channel a team is defined by


class SlackRosters:
    def __init__(self, client: WebClient) -> None:
        self._client = client

    def channel_members(self, channel: str) -> frozenset[str] | None:
        members: set[str] = set()
        cursor = None
        try:
            for _ in range(PAGES):
                response = self._client.conversations_members(channel=channel, limit=1000, cursor=cursor)
                members.update(str(user) for user in response.get("members") or ())
                cursor = (response.get("response_metadata") or {}).get("next_cursor")
                if not cursor:
                    return frozenset(members)
        except SlackApiError as error:
            log.warning("conversations.members for %s refused: %s", channel, error.response.get("error"))
            return None
        except NETWORK_ERRORS as error:
            log.warning("conversations.members for %s failed: %s", channel, error.__class__.__name__)
            return None
        log.warning("conversations.members for %s: more than %d pages, not read", channel, PAGES)
        return None

    def usergroup_members(self, usergroup: str) -> frozenset[str] | None:
        try:
            response = self._client.usergroups_users_list(usergroup=usergroup)
        except SlackApiError as error:
            log.warning("usergroups.users.list for %s refused: %s", usergroup, error.response.get("error"))
            return None
        except NETWORK_ERRORS as error:
            log.warning("usergroups.users.list for %s failed: %s", usergroup, error.__class__.__name__)
            return None
        return frozenset(str(user) for user in response.get("users") or ())
