"""A document laid out by WeasyPrint's public API, with the trimmed user-agent
stylesheet, the project's fetcher, and fonts and images cached for the process."""

from __future__ import annotations

import atexit
import gc
from pathlib import Path
from typing import TYPE_CHECKING

from weasyprint.text.fonts import FontConfiguration

from dnaoc_print.errors import BuildError
from dnaoc_print.typeset.weasyprint_adapter.fetching import ProjectFetcher, RefusedResource
from dnaoc_print.typeset.weasyprint_adapter.user_agent import TrimmedHTML

if TYPE_CHECKING:
    from dnaoc_print.render.documents import RenderedDocument


# One font configuration per brand, and one image cache, for every document a process
# typesets: loading the same web fonts and logo again for each document is most of
# the cost of a small one. Brands never share fonts, so no brand's fonts can stand in
# for another's.
_FONT_CONFIGS: dict[str, FontConfiguration] = {}
_IMAGE_CACHE: dict = {}


@atexit.register
def release_fonts() -> None:
    """Let this process's fonts go: WeasyPrint then removes the copies it wrote to a
    temporary folder. At exit, for a process that typesets in itself (a test, a
    benchmark); a worker's are removed with its own temporary folder (build/workers.py)."""
    if not _FONT_CONFIGS:
        return
    _FONT_CONFIGS.clear()
    # A layout still kept refers to them through its styles, in reference cycles that
    # only the collector frees; a process that measures as a worker runs may have set
    # them aside from it (gc.freeze). Put them back, so that this collection, or the
    # last one as Python ends, frees them.
    gc.unfreeze()
    gc.collect()


def _font_config(key: str) -> FontConfiguration:
    if key not in _FONT_CONFIGS:
        _FONT_CONFIGS[key] = FontConfiguration()
    return _FONT_CONFIGS[key]


def render(document: RenderedDocument, allowed_roots: list[Path], html: str):
    """``html`` (``document``'s, with any extra CSS) laid out in pages."""
    try:
        # The trimmed user-agent stylesheet: see weasyprint_adapter/.
        return TrimmedHTML(
            string=html,
            base_url=document.base_url.as_uri() + "/",
            url_fetcher=ProjectFetcher(allowed_roots),
        ).render(font_config=_font_config(document.fonts_key), cache=_IMAGE_CACHE)
    except RefusedResource as error:
        # The job's name is printed beside the error already.
        raise BuildError(str(error)) from None
