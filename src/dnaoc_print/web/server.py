"""Starting and stopping the `serve` web server.

The server binds 127.0.0.1 unless told otherwise, so only this computer can reach
it; it answers only to the names of the address it listens on (see webapp.py). Its
worker processes (the build's, see workers.py) start with it and stop with it: on
Ctrl-C, a termination signal or the terminal closing, it ends them; killed outright,
it cannot, but an idle worker then reads the end of its pipe to the server and exits,
a busy one sees within a second that the server is gone (page_images.py), and the
fork server they come from exits after them.
"""

from __future__ import annotations

import signal
import socket
from pathlib import Path

from dnaoc_print.content.loading import load_project
from dnaoc_print.web.app import create_app
from dnaoc_print.web.preview import Workspace

LOOPBACK = "127.0.0.1"
EVERY_ADDRESS = ("0.0.0.0", "::")
# Seconds the server waits for its workers to start before it gives its address.
WORKERS_START_WAIT = 30


def allowed_hosts(host: str, port: int) -> set[str]:
    """The names a browser may use for this server: the address it listens on, and the
    loopback names (a browser on this computer)."""
    names = {host, LOOPBACK, "localhost"}
    return {f"[{name}]:{port}" if ":" in name else f"{name}:{port}" for name in names}


def start(root: Path, brand: str | None = None, host: str = LOOPBACK, port: int = 8000):
    """A threaded server for the project at ``root``, bound but not yet serving.

    Raises ContentErrors when ``root`` is not a project, OSError when the port is taken.
    """
    import logging

    from werkzeug.serving import make_server

    if not (root / "content").is_dir():
        load_project(root)  # raises the usual "no content folder here" error
    if port:
        # Werkzeug would print its own message and exit; the CLI says what to do instead.
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    workspace = Workspace(root, brand)
    # One line a request is noise in a facilitator's terminal.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    app = create_app(workspace)
    server = make_server(host, port, app, threaded=True)
    app.config["ALLOWED_HOSTS"] = allowed_hosts(host, server.server_port)
    app.config["EVERY_ADDRESS"] = host in EVERY_ADDRESS
    server.workspace = workspace
    # The workers start now, before the address is given, so the first preview does
    # not wait for them (a worker that cannot start is reported by the first preview).
    workspace.pool.start(wait=WORKERS_START_WAIT)
    return server


def serve_until_stopped(server) -> None:
    """Serve until Ctrl-C, a termination signal or the terminal closing, then stop the
    workers."""

    def stop(signum, frame):
        raise KeyboardInterrupt

    stopping = (signal.SIGTERM, signal.SIGHUP)
    previous = {number: signal.signal(number, stop) for number in stopping}
    try:
        server.serve_forever()
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        server.server_close()
        server.workspace.close()
