"""`dnaoc-print check`, `list` and `new`: check the project's files, list what they hold,
start a new one."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from dnaoc_print.cli.options import debug_option, project_option, strict_option
from dnaoc_print.cli.reporting import fail, show_errors, show_notes, show_warnings
from dnaoc_print.errors import DnaocError


@click.command()
@project_option
@click.option(
    "--brand",
    help="Check only this brand (and any a handout spec names), as build --brand uses them.  "
    "[default: every brand]",
)
@strict_option
@debug_option
def check(project_dir: Path, brand: str | None, strict: bool, debug: bool) -> None:
    """Check all content, handout specs and brands without typesetting anything."""
    from dnaoc_print.build.checking import check as run_check

    try:
        result = run_check(project_dir, brand)
    except DnaocError as error:
        fail(error, debug)
    show_notes(result.notes)
    show_warnings(result.warnings)
    show_errors(result.errors)
    problems = len(result.errors) + (len(result.warnings) if strict else 0)
    click.echo(result.summary())
    if problems:
        sys.exit(1)


@click.command(name="list")
@click.argument(
    "what",
    type=click.Choice(["guides", "stories", "handouts", "brands", "questions", "all"]),
    default="all",
)
@click.argument("guide", required=False)
@project_option
@debug_option
def list_(what: str, guide: str | None, project_dir: Path, debug: bool) -> None:
    """List the guides, stories, handouts and brands of the project.

    `list questions GUIDE` shows a guide's numbered questions: GUIDE:N in a handout
    borrows question N.
    """
    from dnaoc_print.content.brand_folders import brand_names, folder_problems
    from dnaoc_print.content.loading import load_project

    try:
        project = load_project(project_dir, partial=True)
    except DnaocError as error:
        fail(error, debug)
    if what == "questions":
        from dnaoc_print.cli.listing import numbered_questions

        try:
            rows = numbered_questions(project, guide)
        except DnaocError as error:
            fail(error, debug)
        for row in rows:
            click.echo(row)
        return
    unusable = folder_problems(project.root)
    sections = {
        "guides": [
            f"{g.slug:<36} {g.title} ({len(g.stories)} stories, {len(g.questions)} questions)"
            for g in project.guides
        ],
        "stories": [f"{s.id:<36} {s.title}  {s.url}" for s in project.stories.values()],
        "handouts": [f"{h.name:<36} {h.title} ({h.layout}, {h.paper})" for h in project.handouts],
        "brands": [
            f"{name:<36} cannot be used: {unusable[name].hint}" if name in unusable else name
            for name in brand_names(project.root)
        ],
    }
    for name, rows in sections.items():
        if what in (name, "all"):
            click.secho(f"{name}:", bold=True)
            for row in rows:
                click.echo(f"  {row}")
    if project.broken:
        names = ", ".join(f"{item.kind} {item.name}" for item in project.broken)
        click.secho(
            f"not listed, because of errors: {names} (see: dnaoc-print check)",
            fg="yellow",
            err=True,
        )


@click.command()
@click.argument("kind", type=click.Choice(["guide", "handout", "brand"]))
@click.argument("name")
@project_option
@debug_option
def new(kind: str, name: str, project_dir: Path, debug: bool) -> None:
    """Start a new guide, handout or brand called NAME, ready to build and edit."""
    if kind == "brand":
        from dnaoc_print.brands.scaffold import new_brand

        try:
            path = new_brand(project_dir, name)
        except DnaocError as error:
            fail(error, debug)
        click.echo(f"wrote {path}; edit it, then run: dnaoc-print build --brand {path.parent.name}")
        return
    from dnaoc_print.content.scaffold import new_file

    try:
        path = new_file(project_dir, kind, name)
    except DnaocError as error:
        fail(error, debug)
    click.echo(f"wrote {path}; edit it, then run: dnaoc-print build")
