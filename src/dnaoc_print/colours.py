"""Colour arithmetic for brand checks: WCAG 2 contrast between text and its background."""

from __future__ import annotations

import re

HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
# WCAG 2.x level AA for body text.
AA_NORMAL_TEXT = 4.5


def parse_hex(colour: str) -> tuple[int, int, int]:
    """'#1d5a73' or '#abc' as an (r, g, b) triple of 0-255 integers."""
    if not HEX_COLOUR.match(colour):
        raise ValueError(f"'{colour}' is not a colour like #1d5a73")
    digits = colour[1:]
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def relative_luminance(colour: str) -> float:
    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(channel) for channel in parse_hex(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(foreground: str, background: str) -> float:
    lighter, darker = sorted(
        (relative_luminance(foreground), relative_luminance(background)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


def css_custom_properties(css: str) -> dict[str, str]:
    """The ``--name: value`` declarations of a stylesheet, comments removed."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    return {
        match["name"]: match["value"].strip()
        for match in re.finditer(r"(?P<name>--[\w-]+)\s*:\s*(?P<value>[^;]+);", css)
    }
