"""The command line: parse, call the library, report. No logic lives here."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from dnaoc_print import __version__
from dnaoc_print.errors import DnaocError

project_option = click.option(
    "--project",
    "-C",
    "project_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Project folder (holding content/ and layouts/).",
)
debug_option = click.option("--debug", is_flag=True, help="Show the traceback of an error.")


def fail(error: DnaocError, debug: bool) -> None:
    if debug:
        raise error
    click.secho(f"error: {error}", fg="red", err=True)
    sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dnaoc-print")
def main() -> None:
    """Typeset the DNA of Care facilitator guides and handouts as print-ready PDFs."""


@main.command()
@project_option
@click.option(
    "--out",
    "-o",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder.  [default: PROJECT/build]",
)
@click.option(
    "--paper",
    type=click.Choice(["a4", "a5", "letter"], case_sensitive=False),
    default="a4",
    show_default=True,
    help="Paper for the guides; on paper other than A4 the name says so (resilience-a5.pdf). "
    "A handout's paper is set in its spec.",
)
@debug_option
def build(project_dir: Path, out_dir: Path | None, paper: str, debug: bool) -> None:
    """Build every guide (build/guides/) and every handout (build/handouts/)."""
    from dnaoc_print.build import build as run_build

    try:
        report = run_build(project_dir, out_dir, paper=paper.lower())
    except DnaocError as error:
        fail(error, debug)
        return
    for outcome in report.outcomes:
        if outcome.error:
            click.secho(f"failed  {outcome.job_name}: {outcome.error}", fg="red", err=True)
            continue
        pages = "page" if outcome.page_count == 1 else "pages"
        click.echo(
            f"built   {outcome.target}  ({outcome.page_count} {pages}, "
            f"{outcome.size / 1024:.0f} KB)"
        )
        for warning in outcome.warnings:
            click.secho(f"  warning: {warning}", fg="yellow", err=True)
    built = len(report.outcomes) - len(report.failed)
    click.echo(f"{built} built, {len(report.failed)} failed in {report.seconds:.1f} s")
    if report.failed:
        sys.exit(1)
