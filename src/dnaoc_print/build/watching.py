"""`dnaoc-print watch`: rebuild what changed whenever a file is saved.

watchfiles reports changes as the operating system sees them (no polling), and the
incremental build typesets only the outputs whose inputs changed. A broken file
fails only the outputs that depend on it, so watching goes on, and the next save
that mends it builds them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

# The folders a document is made from; a change in any of them may change an output.
WATCHED = ("content", "layouts", "brands", "fonts")


def watch(root: Path, rebuild: Callable[[], None]) -> None:
    """Run ``rebuild`` now and after every change under the watched folders, until Ctrl-C."""
    import watchfiles

    rebuild()
    folders = [root / folder for folder in WATCHED if (root / folder).is_dir()]
    for _changes in watchfiles.watch(*folders, debounce=300, step=100):
        rebuild()
