"""Settings from the environment and `.env`. Nothing happens at import time."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.errors import ConfigError

DEFAULT_DATABASE_URL = "sqlite:///data/learnbot.db"
SLACK_API_URL = "https://slack.com/api/"
MIN_GROUP_FLOOR = 3  # REPORT_MIN_GROUP may not go lower


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = SLACK_API_URL
    openai_api_key: SecretStr | None = None
    openai_base_url: str | None = None
    openai_model: str = "gpt-4o-mini"
    openai_timeout: float = Field(default=15.0, gt=0, le=120)
    openai_max_retries: int = Field(default=2, ge=0, le=10)
    llm_daily_token_budget: int = Field(default=200_000, ge=0)
    llm_cache_seconds: int = Field(default=3600, ge=0)
    openai_moderation: bool = False
    content_dir: Path = Path("content")
    port: int = Field(default=3000, ge=1, le=65535)
    default_timezone: str = "UTC"
    catchup_minutes: int = Field(default=120, ge=1, le=24 * 60)
    challenge_invitations_per_day: int = Field(default=20, ge=1, le=500)  # per proposer, the last 24 hours
    learn_admins: str = ""  # Slack user ids, comma separated: they may read every report (so may workspace admins)
    report_min_group: int = 5  # reports show no figure drawn from fewer distinct people (never below 3)
    log_level: str = "INFO"

    @field_validator("default_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown IANA time zone {value!r}") from error
        return value

    @field_validator("report_min_group")
    @classmethod
    def _min_group(cls, value: int) -> int:
        if value < MIN_GROUP_FLOOR:
            raise ValueError(f"must be at least {MIN_GROUP_FLOOR}: a smaller group could single people out")
        return value

    @field_validator("slack_api_url", "openai_base_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value if value.endswith("/") else value + "/"

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        if not value.startswith(("sqlite", "postgresql", "postgres://")):
            raise ValueError("must be a sqlite:/// or postgresql:// URL")
        if value.startswith("postgres://"):
            value = "postgresql://" + value.removeprefix("postgres://")
        if value.startswith("postgresql://"):
            value = "postgresql+psycopg://" + value.removeprefix("postgresql://")
        return value

    @field_validator("learn_admins")
    @classmethod
    def _user_ids(cls, value: str) -> str:
        ids = [part.strip() for part in value.split(",") if part.strip()]
        for user_id in ids:
            if not re.fullmatch(r"[UW][A-Z0-9]{2,30}", user_id):
                raise ValueError(f"{user_id[:40]!r} is not a Slack user id (U…): list them separated by commas")
        return ",".join(ids)

    @property
    def admins(self) -> frozenset[str]:
        return frozenset(user_id for user_id in self.learn_admins.split(",") if user_id)

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("must be DEBUG, INFO, WARNING or ERROR")
        return level

    @property
    def has_slack_credentials(self) -> bool:
        return self.slack_bot_token is not None

    def secret(self, name: str) -> str:
        """The plain value of a required secret, or a ConfigError naming it."""
        value = getattr(self, name)
        if value is None or not value.get_secret_value():
            raise ConfigError(name.upper(), "is not set")
        return str(value.get_secret_value())


def load_settings(**overrides: Any) -> Settings:
    """Read settings; a bad value becomes a ConfigError that names the variable."""
    try:
        return Settings(**overrides)
    except ValidationError as error:
        first = error.errors()[0]
        variable = str(first["loc"][0]).upper() if first["loc"] else "configuration"
        raise ConfigError(variable, first["msg"].removeprefix("Value error, ")) from None
