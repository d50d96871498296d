"""gunicorn's settings for `serve` and the Procfile (`gunicorn -c python:bot.slack.gunicorn_conf ...`).

A deploy sends SIGTERM: the worker stops accepting, finishes the requests in flight, then (worker_exit)
drains the work it acknowledged and closes its pools before Python shuts down; what a killed worker left
unfinished is replayed by the others from the inbox. A slow client cannot hold a thread for long: the body
read times out (bot/slack/web.py); for slow headers, put a buffering proxy in front (README: Deployment).
"""

from __future__ import annotations

from typing import Any

worker_class = "gthread"
threads = 4
graceful_timeout = 25  # seconds a stopping worker gets to finish (under the usual 30 s before SIGKILL)
timeout = 30  # a worker that stops answering its arbiter this long is restarted
keepalive = 5


def worker_exit(server: Any, worker: Any) -> None:
    shutdown = getattr(getattr(worker, "wsgi", None), "shutdown", None)
    if callable(shutdown):
        shutdown()
