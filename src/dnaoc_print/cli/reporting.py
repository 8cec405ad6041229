"""How the commands report: errors, each output as it is built, and a build's summary.

A user error reaches click as a :class:`CommandError`, which click prints without a
traceback and turns into exit status 1; ``--debug`` raises the library's own error
instead, traceback and all.
"""

from __future__ import annotations

import sys
import time
from typing import NoReturn

import click

from dnaoc_print.errors import DnaocError


class CommandError(click.ClickException):
    """A problem the user can fix: ``error: ...`` in red, exit status 1, no traceback."""

    def show(self, file=None) -> None:
        click.secho(f"error: {self.message}", fg="red", err=True)


def fail(error: DnaocError, debug: bool) -> NoReturn:
    """Hand a library error to click; with ``--debug``, raise it as it is."""
    if debug:
        raise error
    raise CommandError(str(error)) from error


def show_notes(notes) -> None:
    """Notes (what a brand leaves unused, say) are plain; warnings yellow; errors red."""
    for note in notes:
        click.echo(f"note: {note}", err=True)


def show_warnings(warnings) -> None:
    for warning in warnings:
        click.secho(f"warning: {warning}", fg="yellow", err=True)


def show_errors(errors) -> None:
    for error in errors:
        click.secho(f"error: {error}", fg="red", err=True)


class Progress:
    """Shows outcomes as they arrive.

    On a terminal: a bar (done/total, the current output, elapsed time and ETA),
    with the outputs that were built listed above it. Otherwise one plain line an
    output. ``verbosity`` 0 (``-q``) lists nothing as it goes, 1 what was built, 2
    (``-v``) also what was up to date. What failed is listed once, with why, by the
    summary (outputs stopped by the same problem share one message there).
    """

    def __init__(self, verbosity: int = 1, interactive: bool | None = None) -> None:
        self.verbosity = verbosity
        self.interactive = sys.stdout.isatty() if interactive is None else interactive
        self.bar = None
        self.started = time.monotonic()

    def start(self, total: int) -> None:
        if self.interactive and total > 1 and self.verbosity > 0:
            self.bar = click.progressbar(
                length=total,
                label="building",
                show_pos=True,
                show_eta=True,
                item_show_func=self._current,
                file=sys.stdout,
            )
            self.bar.__enter__()
            self.started = time.monotonic()

    def _current(self, name: str | None) -> str:
        elapsed = time.monotonic() - self.started
        return f"{elapsed:.0f} s elapsed  {name or ''}"

    def __call__(self, outcome) -> None:
        # A failure waits for the summary, which lists it once, with why.
        needed = 1 if outcome.status == "built" else 2
        shown = outcome.status != "failed" and needed <= self.verbosity
        if self.bar is None:
            if shown:
                line(outcome)
            return
        if shown:
            # Clear the bar's line, list the outcome above it; the bar is redrawn below.
            click.echo("\r\033[K", nl=False)
            line(outcome)
        self.bar.update(1, outcome.job_name)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def line(outcome) -> None:
    """One output: built or up to date, with its pages, size and warnings."""
    pages = "page" if outcome.page_count == 1 else "pages"
    click.echo(
        f"{outcome.status:<11} {outcome.target}  ({outcome.page_count} {pages}, "
        f"{outcome.size / 1024:.0f} KB)"
    )
    for warning in outcome.warnings:
        click.secho(f"  warning: {warning}", fg="yellow", err=True)


def summary(build_report, ending: str = "", exit_on_failure: bool = True) -> None:
    """What failed and why, other problems and warnings, then one line of totals;
    exit 1 if anything failed or any content has an error (unless told not to)."""
    show_notes(build_report.brand_notes)
    show_notes(build_report.print_notes)
    show_warnings(build_report.notes)
    for removed in build_report.removed:
        click.echo(removed)
    # Outputs stopped by the same problem (a broken story catalogue, say) share one message.
    reasons: dict[str, list[str]] = {}
    for outcome in build_report.failed:
        reasons.setdefault(outcome.error, []).append(outcome.job_name)
    for error, names in reasons.items():
        click.secho(f"failed      {', '.join(names)}: {error}", fg="red", err=True)
    problems = build_report.problems
    show_errors(problems)
    click.echo(
        f"{len(build_report.built)} built, {len(build_report.up_to_date)} up to date, "
        f"{len(build_report.failed)} failed in {build_report.seconds:.1f} s{ending}"
    )
    if exit_on_failure and (build_report.failed or problems):
        sys.exit(1)
