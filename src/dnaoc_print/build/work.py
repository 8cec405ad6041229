"""The work a build hands its workers, and what comes back: plain data that can be
sent to another process.

A ``Job`` is one PDF to make; handouts with the same document travel together as a
``HandoutBatch``; every job ends as an ``Outcome``. ``RunOptions`` carries what a
worker needs besides its job.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dnaoc_print.render.documents import HandoutSheet, RenderedDocument

# One document that takes longer than this is stopped, so a batch never hangs.
DEFAULT_TIME_LIMIT = 120


@dataclass(frozen=True)
class Job:
    """One PDF to make: what it is called, where it goes, and its HTML.

    A guide has its whole document. A handout has its sheet at each fit step,
    largest first; the first that fits on one page is written.
    """

    name: str
    target: Path
    document: RenderedDocument | None = None
    sheet: HandoutSheet | None = None
    # What to suggest when a handout does not fit even at the smallest step, and the
    # spec file to name then ("" for a CSV row, named by its line, or flags).
    overflow_advice: str = ""
    overflow_place: str = ""
    # Issue 17 (print production): reworks the finished PDF before it is written,
    # returning the new PDF and its page count (a booklet's imposed sheets, say).
    # A module-level function or a partial of one, so it can reach a worker.
    finish: Callable[[bytes], tuple[bytes, int]] | None = None
    # Issue 26 (slide packs): a file made without typesetting (a .pptx), returning
    # its bytes and its page (slide) count; a module-level function or a partial.
    produce: Callable[[], tuple[bytes, int]] | None = None
    # A guide-like document whose last box of this class (a large-print handout's
    # notes area) is grown down to the foot of the last page: its spare height.
    grow_to_foot: str = ""


@dataclass(frozen=True)
class HandoutBatch:
    """Handouts typeset together in one document, a page each, then split."""

    document: RenderedDocument
    jobs: tuple[Job, ...]


@dataclass
class Outcome:
    job_name: str
    target: Path
    status: str = "built"  # built, up to date, or failed
    page_count: int = 0
    size: int = 0
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    pdf_sha256: str = ""


@dataclass(frozen=True)
class RunOptions:
    """Everything a worker needs besides its job. Workers are forked from a server
    started earlier, whose environment may be stale: so each option, the epoch
    included, travels here, read from the caller's environment when made."""

    allowed_roots: tuple[Path, ...]
    strict: bool = False
    time_limit: float = DEFAULT_TIME_LIMIT
    # The reproducible-builds epoch: font subsets are stamped with it (0 without).
    source_date_epoch: str | None = field(
        default_factory=lambda: os.environ.get("SOURCE_DATE_EPOCH") or None
    )
    # Add the Python traceback to an internal error (``--debug``).
    debug: bool = field(default_factory=lambda: bool(os.environ.get("DNAOC_DEBUG")))
