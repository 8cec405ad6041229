"""The last net under every command: a file the system will not read or write is a
message, not a traceback; and a command stopped by a signal stops as Ctrl-C stops it.

Each command turns the library's own errors into messages (reporting.py). What
can still escape is the operating system refusing a path the user typed: a name
longer than the file system allows, a folder that cannot be written, a disk that is
full. That is said as what it is, naming the path, with exit status 1; ``--debug``
still shows the traceback.

SIGTERM (a CI job cancelled, ``kill``, a service stopped) and SIGHUP (the terminal
closed) would end the process where it stands, leaving its workers' temporary folder
and the files they were writing. They end it as Ctrl-C does instead: the workers are
stopped and what they were writing is removed, the PDFs finished so far are kept, and
the exit status is 128 plus the signal's number.
"""

from __future__ import annotations

import contextlib
import errno
import signal
import threading

import click

from dnaoc_print.cli.reporting import CommandError

HINTS = {
    errno.ENAMETOOLONG: "use a shorter name: a file or folder name holds 255 bytes at most",
    errno.EACCES: "choose a folder you may write to, or ask whoever manages this computer",
    errno.EPERM: "choose a folder you may write to, or ask whoever manages this computer",
    errno.ENOSPC: "free some space on the disk, or write somewhere else with -o",
    errno.EROFS: "the disk is read-only: write somewhere else with -o",
    errno.ENOTDIR: "a part of the path is a file, not a folder: check the path",
    errno.EISDIR: "that path is a folder: give a file name",
}


def system_refusal(error: OSError) -> str:
    """What the system said about which path, and what to do."""
    place = f"{error.filename}: " if error.filename else ""
    if len(place) > 120:
        place = f"{place[:100]}... ({len(str(error.filename))} characters): "
    text = f"{place}{error.strerror or error}"
    if hint := HINTS.get(error.errno):
        text += f"\n  hint: {hint}"
    return text


class GuardedGroup(click.Group):
    """A click group whose commands report an OSError as a user error."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta["debug"] = "--debug" in args
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context):
        try:
            with _stopped_by_signals():
                return super().invoke(ctx)
        except OSError as error:
            if ctx.meta.get("debug"):
                raise
            raise CommandError(system_refusal(error)) from error


# Signals that ask a command to stop (as Ctrl-C does), where the system has them.
STOPPING = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


@contextlib.contextmanager
def _stopped_by_signals():
    """Within the block, a stopping signal raises SystemExit (128 plus its number),
    so that every ``finally`` and ``with`` on the way out runs."""

    def stop(number: int, _frame) -> None:
        click.echo(f"stopped ({signal.Signals(number).name})", err=True)
        raise SystemExit(128 + number)

    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may handle signals (a command run from a test's thread)
        return
    previous = {number: signal.signal(number, stop) for number in STOPPING}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
