"""Serving the WSGI app: gunicorn for production, a threaded stdlib server for the one-process `run`."""

from __future__ import annotations

import threading
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from bot.slack.web import SlackWSGI


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    request_queue_size = 128  # the default 5 refuses bursts


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return


def serve_in_thread(app: SlackWSGI, *, port: int, host: str = "0.0.0.0") -> WSGIServer:  # noqa: S104
    """Serve `app` on a background thread; call `.shutdown()` to stop. Port 0 picks a free port."""
    server = make_server(host, port, app, server_class=_ThreadingWSGIServer, handler_class=_QuietHandler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, name="http", daemon=True).start()
    return server


def run_gunicorn(*, port: int, workers: int, host: str = "0.0.0.0") -> None:  # noqa: S104
    """Run gunicorn in the foreground with the app built in each worker."""
    from gunicorn.app.wsgiapp import WSGIApplication

    argv = ["gunicorn", "-c", "python:bot.slack.gunicorn_conf", "--bind", f"{host}:{port}", "--workers", str(workers)]
    argv.append("bot.wsgi:create()")
    import sys

    sys.argv = argv
    WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").run()
