"""`dnaoc-print docs`: build this documentation site and open it, or serve it."""

from __future__ import annotations

from pathlib import Path

import click

from dnaoc_print.cli.options import debug_option
from dnaoc_print.cli.reporting import fail
from dnaoc_print.errors import DnaocError


@click.command()
@click.option(
    "-o",
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The folder to build the site into.  [default: build/site beside mkdocs.yml]",
)
@click.option(
    "--serve",
    "serve_site",
    is_flag=True,
    help="Serve the site on 127.0.0.1 instead, rebuilt each time a page is saved.",
)
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=8001,
    show_default=True,
    help="With --serve: the port to listen on.",
)
@click.option("--no-open", is_flag=True, help="Do not open the site in your web browser.")
@debug_option
def docs(out: Path | None, serve_site: bool, port: int, no_open: bool, debug: bool) -> None:
    """Build this documentation site (mkdocs.yml, docs/) and open it in your browser.

    Once built, `dnaoc-print serve` shows it too, under /help/ (the composer's Help
    link). Needs the documentation tools: pip install -e '.[docs]'.
    """
    from dnaoc_print.web import docs_site

    try:
        if serve_site:
            docs_site.serve_site(port, open_browser=not no_open)
            return
        site = docs_site.build_site(out)
    except DnaocError as error:
        fail(error, debug)
    index = site / "index.html"
    click.echo(f"Built the documentation site: {index}")
    if not no_open:
        click.launch(str(index))
