"""The WSGI entry point for gunicorn: `gunicorn 'bot.wsgi:create()'`. Built in each worker process."""

from __future__ import annotations

from bot.composition import World
from bot.config import load_settings
from bot.logs import configure_logging
from bot.runtime import open_runtime
from bot.slack.web import SlackWSGI


def create() -> SlackWSGI:
    settings = load_settings()
    configure_logging(settings.log_level)
    world = World(open_runtime(settings, upgrade=False))
    world.warm()
    return world.wsgi
