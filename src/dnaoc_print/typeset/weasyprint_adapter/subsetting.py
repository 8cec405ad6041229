"""Which font subsetter WeasyPrint uses: HarfBuzz's or fontTools'."""

from __future__ import annotations

import contextlib

import weasyprint.pdf.fonts
from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

from dnaoc_print.errors import BuildError

# Font subsetting. WeasyPrint subsets with HarfBuzz where libharfbuzz-subset (4.1 or
# newer) is installed, else with fontTools; it decides by the module-level name
# ``harfbuzz_subset`` in weasyprint.pdf.fonts. Both must give the same bytes run after run.
SUBSETTERS = ("harfbuzz", "fonttools")


def available_subsetters() -> list[str]:
    """The subsetters this machine has, the one WeasyPrint uses by default first."""
    if harfbuzz_subset is not None and harfbuzz.hb_version_atleast(4, 1, 0):
        return ["harfbuzz", "fonttools"]
    return ["fonttools"]


@contextlib.contextmanager
def subsetter(name: str):
    """Make WeasyPrint subset fonts with ``name`` (one of SUBSETTERS) inside this block."""
    if name not in available_subsetters():
        raise BuildError(f"font subsetter '{name}' is not available on this machine")
    previous = weasyprint.pdf.fonts.harfbuzz_subset
    weasyprint.pdf.fonts.harfbuzz_subset = harfbuzz_subset if name == "harfbuzz" else None
    try:
        yield
    finally:
        weasyprint.pdf.fonts.harfbuzz_subset = previous
