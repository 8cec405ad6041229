"""WeasyPrint's warnings about a document, each with the file that caused it.

WeasyPrint reports through the ``weasyprint`` logger, and announces each step on
``weasyprint.progress``; the wording of those progress messages is not part of its
API, so it is read here alone (tests/test_weasyprint_contract.py checks it).
"""

from __future__ import annotations

import contextlib
import logging
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from dnaoc_print.typeset.weasyprint_adapter.fetching import ProjectFetcher

WEASYPRINT_LOGGER = logging.getLogger("weasyprint")
# WeasyPrint's progress messages say which stylesheet it is parsing.
PROGRESS_LOGGER = logging.getLogger("weasyprint.progress")
PARSING_CSS = "Step 2 - Fetching and parsing CSS - "
_AT_LINE = re.compile(r" at (\d+):(\d+)")

# Warnings about the machine rather than the document: WeasyPrint says this once per
# font where libharfbuzz-subset is missing, and the PDF is correct either way.
MACHINE_NOTES = ("Using fontTools instead of HarfBuzz-Subset",)


class _MachineNotes(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(MACHINE_NOTES)


WEASYPRINT_LOGGER.addFilter(_MachineNotes())


class _WarningCollector(logging.Handler):
    """Collects WeasyPrint's warnings about one document (a bad CSS value, say), each
    with the file that caused it.

    WeasyPrint's messages about a stylesheet give only a line and column ("Parse
    error at 174:4"); but it announces each stylesheet it is about to parse in a
    progress message, so the collector keeps track of which one that is.
    """

    def __init__(self, allowed_roots: list[Path]) -> None:
        super().__init__(level=logging.INFO)
        self.messages: list[str] = []
        self.fetcher = ProjectFetcher(allowed_roots)
        self.stylesheet: str | None = None

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.name == PROGRESS_LOGGER.name:
            if message.startswith(PARSING_CSS):
                self.stylesheet = self._shown(message[len(PARSING_CSS) :])
            elif message.startswith("Step "):
                self.stylesheet = None
        elif record.levelno >= logging.WARNING:
            self.messages.append(self._located(message))

    def _shown(self, source: str) -> str:
        if source == "CSS string":
            return "a <style> element in the layouts"
        if source.startswith("file:"):
            return self.fetcher.shown(Path(unquote(urlsplit(source).path)).resolve())
        return source

    def _located(self, message: str) -> str:
        # Files as the user knows them, relative to the project.
        for root in self.fetcher.allowed_roots:
            message = message.replace(root.as_uri() + "/", "")
        if self.stylesheet is None:
            return message
        position = _AT_LINE.search(message)
        if position is None:
            return f"{self.stylesheet}: {message}"
        message = (message[: position.start()] + message[position.end() :]).rstrip(".")
        return f"{self.stylesheet}, line {position[1]}: {message}"


@contextlib.contextmanager
def collect_warnings(allowed_roots: list[Path]):
    collector = _WarningCollector(allowed_roots)
    level, propagate = PROGRESS_LOGGER.level, PROGRESS_LOGGER.propagate
    # Progress messages are for the collector only, not for any other handler.
    PROGRESS_LOGGER.setLevel(logging.INFO)
    PROGRESS_LOGGER.propagate = False
    PROGRESS_LOGGER.addHandler(collector)
    WEASYPRINT_LOGGER.addHandler(collector)
    try:
        yield collector.messages
    finally:
        WEASYPRINT_LOGGER.removeHandler(collector)
        PROGRESS_LOGGER.removeHandler(collector)
        PROGRESS_LOGGER.setLevel(level)
        PROGRESS_LOGGER.propagate = propagate
