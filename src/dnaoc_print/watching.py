"""`dnaoc-print watch`: rebuild what changed whenever a file is saved.

watchfiles reports changes as the operating system sees them (no polling), and the
incremental build typesets only the outputs whose inputs changed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dnaoc_print.preview import WATCHED


def watch(root: Path, rebuild: Callable[[], None]) -> None:
    """Run ``rebuild`` now and after every change under the watched folders, until Ctrl-C."""
    import watchfiles

    rebuild()
    folders = [root / folder for folder in WATCHED if (root / folder).is_dir()]
    for _changes in watchfiles.watch(*folders, debounce=300, step=100):
        rebuild()
