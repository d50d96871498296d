"""Settings: defaults, parsing, and one clear error per bad value."""

from __future__ import annotations

import pytest

from bot.config import load_settings
from bot.errors import ConfigError


def test_defaults_need_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATABASE_URL", "SLACK_BOT_TOKEN", "PORT", "DEFAULT_TIMEZONE", "SLACK_API_URL"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings(_env_file=None)
    assert settings.database_url == "sqlite:///data/learnbot.db"
    assert settings.slack_api_url == "https://slack.com/api/"
    assert not settings.has_slack_credentials
    assert settings.default_timezone == "UTC"


def test_values_are_normalised(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://u@h/db")
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:9/api")
    settings = load_settings(_env_file=None)
    assert settings.database_url == "postgresql+psycopg://u@h/db"
    assert settings.slack_api_url == "http://127.0.0.1:9/api/", "slack_sdk joins URLs: the base must end with /"


@pytest.mark.parametrize(
    ("variable", "value"),
    [("PORT", "0"), ("DEFAULT_TIMEZONE", "Nowhere/Special"), ("LOG_LEVEL", "LOUD"), ("OPENAI_MAX_RETRIES", "x")],
)
def test_a_bad_value_names_its_variable(monkeypatch: pytest.MonkeyPatch, variable: str, value: str) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as raised:
        load_settings(_env_file=None)
    assert raised.value.variable == variable


def test_a_required_secret_that_is_missing_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    with pytest.raises(ConfigError, match="SLACK_BOT_TOKEN: is not set"):
        load_settings(_env_file=None).secret("slack_bot_token")
