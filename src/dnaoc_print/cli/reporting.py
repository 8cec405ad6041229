"""How the commands report: errors, each output as it is built, and a build's summary.

A user error reaches click as a :class:`CommandError`, which click prints without a
traceback and turns into exit status 1; ``--debug`` raises the library's own error
instead, traceback and all.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, NoReturn

import click

from dnaoc_print.errors import DnaocError

if TYPE_CHECKING:
    from dnaoc_print.build.work import Outcome


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

    On a terminal: a bar (done/total, the current output, elapsed time and, once it
    means something, the time left: progress_estimate.py), with the outputs that were
    built listed above it. Otherwise one plain line an output. ``verbosity`` 0 (``-q``)
    lists nothing as it goes, 1 what was built, 2 (``-v``) also what was up to date.
    What failed is listed once, with why, by the summary (outputs stopped by the same
    problem share one message there).
    """

    # The bar is drawn again this often between outcomes, so its clock keeps moving
    # while the first batch is typeset (which can take ten seconds and more).
    TICK_SECONDS = 1.0

    def __init__(self, verbosity: int = 1, interactive: bool | None = None, clock=None) -> None:
        from dnaoc_print.cli.progress_estimate import TimeLeft

        self.verbosity = verbosity
        self.interactive = sys.stdout.isatty() if interactive is None else interactive
        self.bar = None
        self.clock = clock or time.monotonic
        self.started = self.clock()
        self.time_left = TimeLeft()
        # The ticker and the outcomes both write the bar's line: one at a time.
        self._drawing = threading.Lock()
        self._stopped = threading.Event()
        self._ticker: threading.Thread | None = None

    def start(self, names: list[str]) -> None:
        """The outputs about to be made, by name (their kind weighs the estimate)."""
        self.started = self.clock()
        self.time_left.plan(names, self.started)
        if self.interactive and len(names) > 1 and self.verbosity > 0:
            self.bar = click.progressbar(
                length=len(names),
                label="building",
                show_pos=True,
                # Click's own estimate divides by outputs done, a guide counting as a
                # handout, start-up and all: ours weighs them (progress_estimate.py).
                show_eta=False,
                item_show_func=self._current,
                file=sys.stdout,
            )
            self.bar.__enter__()
            self._ticker = threading.Thread(target=self._tick, daemon=True)
            self._ticker.start()

    def _tick(self) -> None:
        while not self._stopped.wait(self.TICK_SECONDS):
            with self._drawing:
                if self.bar is not None:
                    self.bar.render_progress()

    def _current(self, name: str | None) -> str:
        from dnaoc_print.cli.progress_estimate import time_left_text

        now = self.clock()
        left = time_left_text(self.time_left.seconds_left(now))
        elapsed = f"{now - self.started:.0f} s elapsed"
        return "  ".join(part for part in (elapsed, left, name) if part)

    def __call__(self, outcome) -> None:
        with self._drawing:
            self._show(outcome)

    def _show(self, outcome) -> None:
        self.time_left.finished(outcome.job_name, outcome.status == "built")
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

    def each(self, outcomes: Iterable[Outcome]) -> Iterator[Outcome]:
        """The outcomes, each shown as it passes."""
        for outcome in outcomes:
            self(outcome)
            yield outcome

    def close(self) -> None:
        self._stopped.set()
        if self._ticker is not None:
            self._ticker.join()
            self._ticker = None
        with self._drawing:
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
