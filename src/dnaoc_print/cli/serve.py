"""`dnaoc-print serve` (also called `preview`): the web composer, on this computer or
for a whole team (settings from flags, or from the project's serve.toml)."""

from __future__ import annotations

import ipaddress
import re
import socket
from pathlib import Path

import click

from dnaoc_print.cli.options import brand_option, debug_option, project_option
from dnaoc_print.cli.reporting import fail
from dnaoc_print.errors import ContentError, ContentErrors, DnaocError


@click.command()
@project_option
@brand_option
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=None,
    help="The port to listen on (0: any free port).  [default: 8000]",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the page in your web browser.")
@click.option(
    "--host",
    default=None,
    callback=lambda ctx, param, value: checked_host(value),
    help="Listen on this address instead of 127.0.0.1 (0.0.0.0: every address); "
    "other computers could then reach it.",
)
@click.option(
    "--public-url",
    default=None,
    help="The address browsers use, e.g. https://handouts.example.nhs.uk; every other "
    "name is refused.",
)
@click.option(
    "--behind-proxy",
    is_flag=True,
    default=None,
    help="A reverse proxy is in front: trust its X-Forwarded-For/-Proto/-Host headers.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 32),
    default=None,
    help="Typeset in this many processes at once.  [default: the number of cores]",
)
@debug_option
def serve(
    project_dir: Path,
    brand: str | None,
    port: int | None,
    open_browser: bool,
    host: str | None,
    public_url: str | None,
    behind_proxy: bool | None,
    workers: int | None,
    debug: bool,
) -> None:
    """Make handouts in your web browser, and see every guide and handout as pages.

    Serves on http://127.0.0.1:8000/ until Ctrl-C. `preview` is another name for it.
    Settings not given as flags are read from serve.toml in the project, if it has one.
    """
    from dnaoc_print.web.serve_settings import LOOPBACK, public_url_problem, read_settings
    from dnaoc_print.web.server import serve_until_stopped, start

    try:
        settings = read_settings(project_dir).with_flags(
            host=host,
            port=port,
            public_url=public_url,
            behind_proxy=behind_proxy,
            workers=workers,
            brand=brand,
        )
        if public_url and (problem := public_url_problem(public_url)):
            raise ContentErrors([ContentError(f"'{public_url}' {problem}", flag="--public-url")])
    except DnaocError as error:
        fail(error, debug)
    if settings.host != LOOPBACK:
        click.secho(
            f"warning: listening on {settings.host}, not only on this computer: anyone who "
            "can reach it can use this server and read the project's guides and handouts",
            fg="yellow",
            err=True,
        )
    try:
        server = start(project_dir, settings)
    except DnaocError as error:
        fail(error, debug)
    except socket.gaierror as error:
        where = f"cannot listen on {settings.host}: {error.strerror}"
        fail(DnaocError(f"{where}; give an address of this computer, e.g. --host 0.0.0.0"), debug)
    except OSError as error:
        reason = error.strerror or str(error)
        fail(DnaocError(f"cannot listen on port {settings.port}: {reason}; try --port 8001"), debug)
    url = _address(settings, server.port)
    listening = f", listening on {settings.host}:{server.port}" if settings.public_url else ""
    click.echo(f"Serving on {url}{listening} (Ctrl-C to stop)")
    if open_browser:
        click.launch(url)
    try:
        serve_until_stopped(server)
    except KeyboardInterrupt:
        click.echo("stopped")


def _address(settings, port: int) -> str:
    """The address to give: the public URL, else where this computer's browser finds it."""
    if settings.public_url:
        return settings.public_url.rstrip("/") + "/"
    host = "127.0.0.1" if settings.host in ("0.0.0.0", "::") else settings.host
    host = f"[{host}]" if ":" in host else host
    return f"http://{host}:{port}/"


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
