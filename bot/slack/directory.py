"""The people Directory over Slack's users.info."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.people.types import Profile
from bot.slack.notifier import NETWORK_ERRORS

log = logging.getLogger(__name__)


def profile_from_user(user: dict[str, Any]) -> Profile:
    """A Profile from a Slack user object (users.info, or the `user` of a user_change event)."""
    profile = user.get("profile") or {}
    name = profile.get("display_name") or profile.get("real_name") or user.get("real_name") or user.get("name") or ""
    return Profile(
        name=str(name),
        title=str(profile.get("title") or ""),
        tz=str(user["tz"]) if user.get("tz") else None,
        deleted=bool(user.get("deleted")),
        admin=any(bool(user.get(flag)) for flag in ("is_admin", "is_owner", "is_primary_owner")),
    )


class SlackDirectory:
    def __init__(self, client: WebClient) -> None:
        self._client = client

    def profile(self, user_id: str) -> Profile | None:
        try:
            response = self._client.users_info(user=user_id)
        except SlackApiError as error:
            code = error.response.get("error")
            if code == "user_not_found":
                return Profile(name="", title="", tz=None, deleted=True, exists=False)
            log.warning("users.info for %s failed: %s", user_id, code)
            return None
        except NETWORK_ERRORS as error:
            log.warning("users.info for %s failed: %s", user_id, error)
            return None
        return profile_from_user(response["user"])
