"""QR codes for story links, as inline SVG.

segno draws the whole symbol as one path: separate rectangles per module leave
hairline seams when a viewer anti-aliases their edges, and seams can stop a phone
reading the code. Error correction is at least M (segno boosts it when the symbol
has room), with the standard four-module quiet zone. Print size is set in CSS.
"""

from __future__ import annotations

import functools

import segno
from markupsafe import Markup, escape

QUIET_ZONE_MODULES = 4


# Making a code takes milliseconds; the same few stories appear in every document.
@functools.lru_cache(maxsize=1024)
def qr_svg(url: str, label: str) -> Markup:
    """An inline ``<svg>`` QR code for ``url``; ``label`` is its alternative text."""
    code = segno.make(url, error="m", micro=False, boost_error=True)
    svg = code.svg_inline(
        border=QUIET_ZONE_MODULES,
        omitsize=True,
        dark="#000",
        light="#fff",
        title=label,
        svgclass="qr-code",
        lineclass=None,
    )
    # Name the code for screen readers and the tagged PDF, not just in <title>.
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)
    return Markup(svg)
