"""WeasyPrint's user-agent stylesheet, trimmed of what these documents never use."""

from __future__ import annotations

import contextlib

from weasyprint import CSS, HTML
from weasyprint.css.counters import CounterStyle

from dnaoc_print.errors import BuildError

# -- A user-agent stylesheet without what these documents never use ----------------
# Rules of WeasyPrint's html5_ua.css that match every element through a pseudo-element
# (footnotes and notes: these documents have neither), and the ::marker rule, which
# only a list item uses. Each must be in WeasyPrint's stylesheet exactly as written
# here: if an upgrade changes one, documents are refused rather than typeset with a
# stylesheet no one has checked.
UNUSED_UA_RULES = (
    "::footnote-call { content: counter(footnote); vertical-align: super; "
    "font-size: smaller; line-height: inherit }",
    '::footnote-marker { content: counter(footnote) ". " }',
    "::note-call { content: counter(note); vertical-align: super; "
    "font-size: smaller; line-height: inherit }",
    '::note-marker { content: counter(note) ". " }',
    '::note-callback { content: "\u202f\u21a9" }',
)
MARKER_RULE = (
    "::marker { font-variant-numeric: tabular-nums; white-space: pre; text-transform: none }"
)


class UserAgentMismatch(BuildError):
    """WeasyPrint's user-agent stylesheet is not the one the trimmed copy was made from."""


def trimmed_ua_text(original: str) -> str:
    """WeasyPrint's user-agent stylesheet without UNUSED_UA_RULES, ::marker for ``li``."""
    for rule in (*UNUSED_UA_RULES, MARKER_RULE):
        if original.count(rule) != 1:
            raise UserAgentMismatch(
                f"WeasyPrint's user-agent stylesheet no longer holds the rule '{rule}': "
                "weasyprint_adapter/ was written for WeasyPrint 70.x"
            )
        original = original.replace(rule, "" if rule in UNUSED_UA_RULES else "li" + rule)
    return original


_TRIMMED_UA: list[CSS] = []


def _parse_trimmed_ua() -> None:
    from weasyprint.html import UA

    # Its own counter styles: WeasyPrint's shared ones stay as they are.
    _TRIMMED_UA.append(CSS(string=trimmed_ua_text(UA), counter_style=CounterStyle()))


# Parsed when this module is imported, which the fork server does before it forks any
# worker (build/preload.py, PRELOAD): every worker shares the one parse, about 30 ms of
# CPU that each would otherwise spend on its first document. Whatever goes wrong here
# (WeasyPrint's stylesheet changed, or the parts of WeasyPrint read here moved) is left
# to happen again when a document is typeset, where it is reported for that document:
# an exception at import would stop the fork server, and every worker with it.
with contextlib.suppress(Exception):
    _parse_trimmed_ua()


class TrimmedHTML(HTML):
    """An HTML document typeset with the trimmed user-agent stylesheet.

    Forms (which need WeasyPrint's form stylesheet too) are never typeset here."""

    def _ua_stylesheets(self, forms=False):
        if forms:
            return super()._ua_stylesheets(forms)
        if not _TRIMMED_UA:
            _parse_trimmed_ua()
        return _TRIMMED_UA
