"""One error hierarchy. Every message is safe to show to the person who caused it."""

from __future__ import annotations


class BotError(Exception):
    """Base of every error the bot raises on purpose; `message` is safe to show a user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ConfigError(BotError):
    """A setting is missing or malformed. Names the environment variable."""

    def __init__(self, variable: str, problem: str) -> None:
        super().__init__(f"{variable}: {problem}")
        self.variable = variable


class ContentError(BotError):
    """A content file is wrong: which file, which field, what is wrong."""

    def __init__(self, path: str, field: str, problem: str) -> None:
        location = f"{path}: {field}" if field else path
        super().__init__(f"{location}: {problem}")
        self.path = path
        self.field = field
        self.problem = problem


class BadInput(BotError):
    """What a person typed or clicked cannot be used. `field` names the parameter that is wrong, when one
    is, so that a window can show the message under that field."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotFound(BotError):
    """The thing asked for does not exist (any more)."""


class NotAllowed(BotError):
    """The person may not do this."""


class Unavailable(BotError):
    """A dependency (database, Slack) cannot be reached right now."""


def quote(text: str, limit: int = 80) -> str:
    """Someone's own words inside an error message, in quotes, cut to `limit`. Plain text: the edge escapes
    a message where Slack would read it as markup."""
    return "“" + (text if len(text) <= limit else text[: limit - 1] + "…") + "”"
