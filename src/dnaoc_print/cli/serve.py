"""`dnaoc-print serve` (also called `preview`): the web composer on this computer."""

from __future__ import annotations

import ipaddress
import re
import socket
from pathlib import Path

import click

from dnaoc_print.cli.options import brand_option, debug_option, project_option
from dnaoc_print.cli.reporting import fail
from dnaoc_print.errors import DnaocError


@click.command()
@project_option
@brand_option
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="The port to listen on (0: any free port).",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the page in your web browser.")
@click.option(
    "--host",
    default=None,
    callback=lambda ctx, param, value: checked_host(value),
    help="Listen on this address instead of 127.0.0.1; other computers could then reach it.",
)
@debug_option
def serve(
    project_dir: Path,
    brand: str | None,
    port: int,
    open_browser: bool,
    host: str | None,
    debug: bool,
) -> None:
    """Make handouts in your web browser, and see every guide and handout as pages.

    Serves on http://127.0.0.1:8000/ until Ctrl-C. `preview` is another name for it.
    """
    from dnaoc_print.web.server import LOOPBACK, serve_until_stopped, start

    if host and host != LOOPBACK:
        click.secho(
            f"warning: listening on {host}, not only on this computer: anyone who can reach "
            "it can use this server and read the project's guides and handouts",
            fg="yellow",
            err=True,
        )
    try:
        server = start(project_dir, brand, host or LOOPBACK, port)
    except DnaocError as error:
        fail(error, debug)
    except socket.gaierror as error:
        where = f"cannot listen on {host}: {error.strerror}"
        fail(DnaocError(f"{where}; give an address of this computer, e.g. --host 0.0.0.0"), debug)
    except OSError as error:
        fail(DnaocError(f"cannot listen on port {port}: {error.strerror}; try --port 8001"), debug)
    url = f"http://{host or LOOPBACK}:{server.server_port}/"
    click.echo(f"Serving on {url} (Ctrl-C to stop)")
    if open_browser:
        click.launch(url)
    try:
        serve_until_stopped(server)
    except KeyboardInterrupt:
        click.echo("stopped")


# A host name: letters, digits and hyphens in dot-separated labels of 63 at most.
HOST_NAME = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*\.?")


def checked_host(host: str | None) -> str | None:
    """``--host`` as given, if it is an IP address or a host name (the system cannot
    even look up anything else: 'é' fails inside the socket library)."""
    if host is None:
        return None
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    if len(host) <= 253 and HOST_NAME.fullmatch(host):
        return host
    raise click.BadParameter(
        f"'{host[:80]}' is not an IP address or a host name; "
        "e.g. --host 0.0.0.0 (every address of this computer) or --host 192.168.1.20"
    )
