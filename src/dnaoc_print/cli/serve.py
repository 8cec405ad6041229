"""`dnaoc-print serve` (also called `preview`): the web composer on this computer."""

from __future__ import annotations

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
