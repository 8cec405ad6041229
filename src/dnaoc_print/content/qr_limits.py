"""How long a story's address may be for its QR code to fit the handout it is on.

A longer address needs a code of more modules, and layouts print every module the
same size (``--qr-modules`` in common.css), so the code grows with the address. Each
layout leaves a code a certain width: past it, the words beside the code have no
room and a phone held at arm's length no longer sees the whole code. The widths
here are those of handout.css at its smallest fit step, where a code is smallest;
tests/test_qr_limits.py typesets an address of the longest length on every layout
and reads the code back from the page.

Pure logic: no typesetting, so ``check`` and the composer say it before a build.
"""

from __future__ import annotations

from dataclasses import dataclass

from segno import consts

# The blank modules round a code, as a scanner needs them (render/qr.py draws them).
QUIET_ZONE_MODULES = 4

# Modules across a version-4 code, quiet zone included: layouts size codes from it.
VERSION_4_MODULES = 17 + 4 * 4 + 2 * QUIET_ZONE_MODULES


@dataclass(frozen=True)
class CodeRoom:
    """A layout's code: its width at version 4 at the smallest fit step (handout.css),
    and the widest it may grow to and still leave room for the story's words."""

    version_4_mm: float
    widest_mm: float

    def most_modules(self) -> int:
        return int(self.widest_mm * VERSION_4_MODULES / self.version_4_mm)


# cards and questions: --qr-size at .fit-2; single: --single-qr-size at .fit-2. The
# widest is about a third of the narrowest handout page's width (half-letter, 122 mm
# inside its margins), so the story's title and summary keep the rest of the line
# (version 10: 213 characters). The single layout's larger code leaves a narrower
# column for its full summary and the address: past 56 mm (version 8: 152
# characters) a story's words grow taller than a half-letter page has room for.
LAYOUT_CODE_ROOM = {
    "cards": CodeRoom(version_4_mm=24.8, widest_mm=40.0),
    "questions": CodeRoom(version_4_mm=24.8, widest_mm=40.0),
    "single": CodeRoom(version_4_mm=40.0, widest_mm=56.0),
}


def largest_version(layout: str) -> int:
    """The largest QR version whose code fits the room ``layout`` gives it."""
    modules = LAYOUT_CODE_ROOM[layout].most_modules()
    return min(40, (modules - 2 * QUIET_ZONE_MODULES - 17) // 4)


def byte_capacity(version: int) -> int:
    """Characters of an address (bytes, as a web address is sent) that a code of
    ``version`` holds at error correction M, as qr.py makes it."""
    bits = consts.SYMBOL_CAPACITY[version][consts.ERROR_LEVEL_M]
    # A mode indicator of 4 bits and a character count of 8 bits (16 from version 10).
    count_bits = 8 if version < 10 else 16
    return (bits - 4 - count_bits) // 8


def most_characters(layout: str) -> int:
    """The longest address whose code fits the room ``layout`` gives it."""
    return byte_capacity(largest_version(layout))


def address_length(url: str) -> int:
    """An address's length as a QR code holds it: UTF-8 bytes."""
    return len(url.encode("utf-8"))


def too_long_for_code(url: str, layout: str) -> bool:
    return address_length(url) > most_characters(layout)
