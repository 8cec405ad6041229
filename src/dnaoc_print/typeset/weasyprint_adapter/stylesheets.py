"""A layout's stylesheet parsed once a process, not once a document.

WeasyPrint 70 parses every stylesheet a document links to each time it typesets the
document: for a handout, ``common.css``, ``handout.css`` and its paper's, about 14 ms
of CPU. A batch of 25 handouts pays it once; the composer's preview, one handout a
document, pays it on every preview (about a tenth of one).

So what parsing a stylesheet a document links to gives is kept
(``weasyprint.css.find_stylesheets`` makes each with ``weasyprint.css.CSS``, which this
replaces there), by the file's address, its bytes and the media it is read for, and a
document that links to the same file unchanged is given it, as WeasyPrint gives every
document its one parsed user-agent stylesheet (user_agent.py).

What a document gets is WeasyPrint's own: a stylesheet holding the selectors parsed
for the first document, and the document's own list of ``@page`` rules (WeasyPrint
gives all of a document's author stylesheets one list, in source order) with this
stylesheet's rules added to it where WeasyPrint would add them. Parsed afresh for each
document, as before:
- a stylesheet that adds anything else to a document (``@font-face``,
  ``@counter-style``, ``@color-profile``, cascade layers) or that reads another file
  (``@import``);
- one WeasyPrint warns about (an invalid value, say): each document's warnings name
  it, at its line (logs.py), as they did.

A value with ``var()`` is checked when a document's styles are computed, and WeasyPrint
warns about an invalid one once (``Pending._reported_error``): each document is given
the values of a kept stylesheet with that mark cleared, so each warns as it did.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import cssselect2
import weasyprint.css
import weasyprint.urls
from weasyprint.css.tokens import Pending

from dnaoc_print.typeset.weasyprint_adapter.fetching import ProjectFetcher
from dnaoc_print.typeset.weasyprint_adapter.logs import (
    PARSING_CSS,
    PROGRESS_LOGGER,
    WEASYPRINT_LOGGER,
)

# WeasyPrint's own class, which makes every stylesheet this does not keep.
_WEASYPRINT_CSS = weasyprint.css.CSS
# At-rules that put something into the document beyond the stylesheet's own selectors
# and page rules, or that read another file: a stylesheet with one is parsed each time.
# (Found in a comment too, which only means that stylesheet is not kept.)
_DOCUMENT_RULES = re.compile(
    rb"@(?:font-face|counter-style|color-profile|layer|import)\b", re.IGNORECASE
)
# How many parsed stylesheets are kept before starting afresh: every layout of a
# project several times over, and a bound for a server whose layouts are edited.
KEPT_STYLESHEETS = 64
# What WeasyPrint gives all of a document's author stylesheets to add to.
_SHARED = {"page_rules", "layers"}


@dataclass(frozen=True)
class _Parsed:
    """What parsing a stylesheet gave: its address, its selectors, its page rules, and
    the values WeasyPrint checks when a document's styles are computed."""

    base_url: str
    matcher: cssselect2.Matcher
    page_rules: tuple[tuple, ...]
    pending: tuple[Pending, ...]


_KEPT: dict[tuple[str, str, str, bytes], _Parsed] = {}


def kept_css(*args, url=None, url_fetcher=None, media_type="print", **kwargs):
    """``weasyprint.css.CSS`` for a stylesheet a document links to, parsed once for
    the same file unchanged (see the module's docstring)."""
    linked = url is not None and not args and "matcher" not in kwargs
    if not (linked and isinstance(url_fetcher, ProjectFetcher) and kwargs.keys() >= _SHARED):
        # A <style> element's text, a file another stylesheet imports into its own, or
        # a document not read through the project's sandbox.
        return _WEASYPRINT_CSS(
            *args, url=url, url_fetcher=url_fetcher, media_type=media_type, **kwargs
        )
    # Read through the sandbox for every document, as WeasyPrint reads it: a stylesheet
    # outside the project is refused each time, and a changed one is parsed again. Said
    # first, as WeasyPrint says it, so that logs.py places what follows in this file.
    PROGRESS_LOGGER.info("%s%s", PARSING_CSS, url)
    with weasyprint.urls.fetch(url_fetcher, url) as response:
        key = (url, response.url, media_type, response.read())
    parsed = _KEPT.get(key)
    if parsed is not None:
        return _stylesheet(parsed, kwargs["page_rules"], kwargs["layers"])
    page_rules = kwargs["page_rules"]
    before = len(page_rules)
    matcher = _RecordingMatcher()
    warnings = _Warnings()
    WEASYPRINT_LOGGER.addHandler(warnings)
    try:
        sheet = _WEASYPRINT_CSS(
            url=url, url_fetcher=url_fetcher, media_type=media_type, matcher=matcher, **kwargs
        )
    finally:
        WEASYPRINT_LOGGER.removeHandler(warnings)
    if not warnings.given and not _DOCUMENT_RULES.search(key[-1]):
        if len(_KEPT) >= KEPT_STYLESHEETS:
            _KEPT.clear()
        rules = tuple(page_rules[before:])
        pending = (*matcher.noted, *_pending(d for _, _, d in rules))
        _KEPT[key] = _Parsed(sheet.base_url, matcher, rules, pending)
    return sheet


def _stylesheet(parsed: _Parsed, page_rules: list, layers: list) -> weasyprint.css.CSS:
    """A stylesheet of this document, as WeasyPrint's CSS would make it from the file:
    the selectors parsed already, its page rules added to the document's."""
    for value in parsed.pending:
        value._reported_error = False
    sheet = _WEASYPRINT_CSS.__new__(_WEASYPRINT_CSS)
    sheet.base_url, sheet.matcher = parsed.base_url, parsed.matcher
    page_rules.extend(parsed.page_rules)
    sheet.page_rules, sheet.layers = page_rules, layers
    return sheet


def _pending(declaration_lists) -> tuple[Pending, ...]:
    """The values among these declarations checked only when styles are computed."""
    return tuple(
        value
        for declarations in declaration_lists
        for _name, value, _important in declarations
        if isinstance(value, Pending)
    )


class _RecordingMatcher(cssselect2.Matcher):
    """WeasyPrint's matcher, noting the values it is given that are checked later."""

    def __init__(self) -> None:
        super().__init__()
        self.noted: list[Pending] = []

    def add_selector(self, selector, payload) -> None:
        declarations, _layer = payload
        self.noted.extend(_pending([declarations]))
        super().add_selector(selector, payload)


class _Warnings(logging.Handler):
    """Whether WeasyPrint warned while a stylesheet was parsed."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.given = False

    def emit(self, record: logging.LogRecord) -> None:
        self.given = True


def install() -> None:
    weasyprint.css.CSS = kept_css


install()
