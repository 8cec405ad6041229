"""Starting and stopping the `serve` web server.

The server is waitress, a production WSGI server in pure Python (Linux and Windows
alike, nothing to compile). It binds 127.0.0.1 unless told otherwise, so only this
computer can reach it; it answers only to its own names (request_guard.py). For a
team, ``--public-url`` names the address browsers use and ``--behind-proxy`` trusts
the reverse proxy in front (serve_settings.py reads the same from ``serve.toml``).

Its worker processes (the build's, see workers.py) start with it and stop with it:
on Ctrl-C, a termination signal or the terminal closing, it ends them; killed
outright, it cannot, but an idle worker then reads the end of its pipe to the server
and exits, a busy one sees within a second that the server is gone (page_images.py),
and the fork server they come from exits after them.
"""

from __future__ import annotations

import logging
import signal
import socket
import sys
from pathlib import Path

from dnaoc_print.content.loading import load_project
from dnaoc_print.web.app import create_app
from dnaoc_print.web.preview import Workspace
from dnaoc_print.web.request_guard import MAX_BODY_BYTES, REQUEST_LOG, trust_proxy
from dnaoc_print.web.serve_settings import LOOPBACK, ServeSettings, public_host

EVERY_ADDRESS = ("0.0.0.0", "::")
# Seconds the server waits for its workers to start before it gives its address.
WORKERS_START_WAIT = 30
# Request threads besides one for each worker and each place in the queue: pages,
# static files and answers from the cache never wait behind typesetting.
SPARE_THREADS = 8


def allowed_hosts(host: str, port: int, public_url: str | None = None) -> set[str]:
    """The names a browser may use for this server: its public URL's, the address it
    listens on, and the loopback names (a browser on this computer)."""
    names = {host, LOOPBACK, "localhost"} - set(EVERY_ADDRESS)
    hosts = {f"[{name}]:{port}" if ":" in name else f"{name}:{port}" for name in names}
    if public_url:
        hosts.add(public_host(public_url))
    return hosts


def start(root: Path, settings: ServeSettings):
    """A waitress server for the project at ``root``, bound but not yet serving.

    Raises ContentErrors when ``root`` is not a project, OSError when the port is taken.
    """
    from waitress.server import create_server

    if not (root / "content").is_dir():
        load_project(root)  # raises the usual "no content folder here" error
    if settings.port:
        # A port that is taken is found before anything starts (waitress, failing to
        # bind, leaves sockets open behind it).
        family = socket.AF_INET6 if ":" in settings.host else socket.AF_INET
        with socket.socket(family) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((settings.host, settings.port))
    workspace = Workspace(root, settings.brand, workers=settings.workers, waiting=settings.waiting)
    app = create_app(workspace, example_brands=settings.example_brands)
    if settings.behind_proxy:
        trust_proxy(app)
    server = create_server(
        app,
        host=settings.host,
        port=settings.port,
        threads=settings.workers + settings.waiting + SPARE_THREADS,
        # Refused before it is read (request_guard.py refuses it too, in the app).
        max_request_body_size=MAX_BODY_BYTES,
        # waitress drops X-Forwarded-* headers it was not told to trust; behind a
        # proxy they are passed on, and ProxyFix (request_guard.py) reads them.
        clear_untrusted_proxy_headers=not settings.behind_proxy,
    )
    # A name such as "localhost" may be bound on several sockets (IPv4 and IPv6).
    port = getattr(server, "effective_port", None) or server.effective_listen[0][1]
    app.config["ALLOWED_HOSTS"] = allowed_hosts(settings.host, port, settings.public_url)
    app.config["EVERY_ADDRESS"] = settings.host in EVERY_ADDRESS
    app.config["PUBLIC_URL"] = settings.public_url
    _log_requests(shared=settings.host != LOOPBACK or bool(settings.public_url))
    server.workspace = workspace
    server.port = port
    # The workers start now, before the address is given, so the first preview does
    # not wait for them (a worker that cannot start is reported by the first preview).
    workspace.pool.start(wait=WORKERS_START_WAIT)
    return server


def _log_requests(shared: bool) -> None:
    """A team's server logs each request (method, path, status: request_guard.py), to
    standard error, where a service manager collects it. On one's own computer one
    line a request is only noise in the terminal."""
    logging.getLogger("waitress").setLevel(logging.WARNING)
    if not shared or REQUEST_LOG.handlers:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    REQUEST_LOG.addHandler(handler)
    REQUEST_LOG.setLevel(logging.INFO)


def serve_until_stopped(server) -> None:
    """Serve until Ctrl-C, a termination signal or the terminal closing, then stop the
    workers."""

    def stop(signum, frame):
        raise KeyboardInterrupt

    # Windows has no SIGHUP; its service managers stop a program with Ctrl-Break or
    # by ending it.
    stopping = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    previous = {number: signal.signal(number, stop) for number in stopping}
    try:
        server.run()
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        server.close()
        server.workspace.close()
