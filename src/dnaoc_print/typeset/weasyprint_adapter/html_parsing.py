"""WeasyPrint's HTML parser (tinyhtml5) with the cache of its tokenizer's patterns
working.

tinyhtml5 reads a run of text up to one of a few characters (``chars_until``) with a
regular expression made from those characters, kept in the module's dict
``characters_until_regex`` under ``(characters, opposite)``. In 2.1.0 the line that
stores it assigns ``characters`` first, so the pattern is stored under the compiled
expression and never found again: every run of text in a document builds its pattern's
source and asks ``re.compile`` for it again. That was half of parsing a batch of
handouts: the HTML parse stage of benchmarks/run.py went from 3.8 ms to 1.9 ms a
handout.

The dict is replaced with one that builds a missing pattern itself, exactly as
tinyhtml5 does, and keeps it under the key it is looked up by; tinyhtml5's own store,
reached only when the lookup fails, is then never reached. The parse is the same
(tests/test_weasyprint_contract.py compares the trees and the patterns, and fails
loudly if tinyhtml5 stops looking its patterns up here). pyproject.toml keeps
tinyhtml5 within 2.1, whose recipe this is.
"""

from __future__ import annotations

import re
from collections.abc import Collection

import tinyhtml5.inputstream


def pattern(characters: Collection[str], opposite: bool) -> re.Pattern[str]:
    """The expression tinyhtml5's ``chars_until`` builds: a run of characters not in
    ``characters`` (or, ``opposite``, only of them)."""
    escaped = "".join([f"\\x{ord(character):02x}" for character in characters])
    return re.compile(f"[{escaped}]+" if opposite else f"[^{escaped}]+")


class PatternCache(dict):
    """tinyhtml5's patterns, each built the first time it is looked up."""

    def __missing__(self, key: tuple[Collection[str], bool]) -> re.Pattern[str]:
        characters, opposite = key
        self[key] = found = pattern(characters, opposite)
        return found


def install() -> None:
    """Give tinyhtml5 the working cache (once)."""
    if not isinstance(tinyhtml5.inputstream.characters_until_regex, PatternCache):
        tinyhtml5.inputstream.characters_until_regex = PatternCache()


install()
