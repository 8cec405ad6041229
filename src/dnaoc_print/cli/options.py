"""Options that several commands share, each declared once, and how -C finds the project."""

from __future__ import annotations

from pathlib import Path

import click

from dnaoc_print.cli.reporting import CommandError


def _find_project(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path:
    """-C as given; without it, this folder or the nearest one above it holding
    content/ and layouts/ (as git finds its repository)."""
    if value is not None:
        return value
    from dnaoc_print.content.loading import find_project

    found = find_project(Path.cwd())
    if found is None:
        raise CommandError(
            f"{Path.cwd()} is not inside a dnaoc-print project (a folder holding content/ "
            "and layouts/)\n  hint: run the command there, or name the project with "
            "-C PROJECT, e.g. dnaoc-print build -C ~/dnaoc-print"
        )
    return found


project_option = click.option(
    "--project",
    "-C",
    "project_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    callback=_find_project,
    help="Project folder (holding content/ and layouts/).  "
    "[default: this folder or the nearest one above it that is a project]",
)
debug_option = click.option("--debug", is_flag=True, help="Show the traceback of an error.")
brand_option = click.option(
    "--brand",
    help="The brand to wear: a folder in brands/.  [default: dna-of-care]",
)
strict_option = click.option(
    "--strict", is_flag=True, help="Treat warnings (a brand's low contrast, say) as errors."
)
allow_placeholders_option = click.option(
    "--allow-placeholders",
    is_flag=True,
    help="Print ((placeholders)) as they are, for a proof of a template.  "
    "[default: what would print one fails, naming where it is]",
)
jobs_option = click.option(
    "--jobs",
    "-j",
    "workers",
    type=click.IntRange(min=1),
    default=None,
    help="Typeset in this many processes at once.  [default: the number of cores]",
)


def verbosity_options(command):
    """-q and -v: how much to list besides failures and the summary."""
    command = click.option(
        "--verbose", "-v", is_flag=True, help="Also list the outputs that were up to date."
    )(command)
    return click.option(
        "--quiet", "-q", is_flag=True, help="List only failures, problems and the summary."
    )(command)


def verbosity(quiet: bool, verbose: bool) -> int:
    return 0 if quiet else 2 if verbose else 1
