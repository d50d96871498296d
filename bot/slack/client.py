"""Web API clients (every one honours SLACK_API_URL), and what the bot asks Slack about itself."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

from bot.config import Settings


def interactive_client(settings: Settings, token: str) -> WebClient:
    """For listeners: a dropped connection or a 429 is retried once (a person is waiting)."""
    return WebClient(
        token=token,
        base_url=settings.slack_api_url,
        timeout=10,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=1),
            RateLimitErrorRetryHandler(max_retry_count=1),
        ],
    )


def delivery_client(settings: Settings, token: str) -> WebClient:
    """For the outbox: no automatic retries. A retried post could double-post; the dispatcher decides."""
    return WebClient(token=token, base_url=settings.slack_api_url, timeout=10, retry_handlers=[])


def own_team(client: WebClient) -> str:
    """The workspace the token belongs to (auth.test)."""
    return str(client.auth_test()["team_id"])
