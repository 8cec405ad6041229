"""WeasyPrint's text libraries (GObject, Pango, HarfBuzz, fontconfig) loaded without a
compiler run for every name that is not there.

WeasyPrint loads each library by trying several names in turn, the Windows and macOS
ones first. For a name without a path, cffi asks ``ctypes.util.find_library``, which on
Linux runs ``ldconfig -p`` and, when the name is not in the loader's cache, gcc and
then ld: about forty programs started, some 0.15 s of CPU (and as much again in this
process, starting them) each time a process imports WeasyPrint, as the fork server of
every build and the web server do. The names Linux has come later in each list, and
the loader finds them itself.

So on Linux, while WeasyPrint's text module is imported, ``find_library`` answers from
one reading of the loader's cache: the same name the standard library would give for a
library the cache lists, none for one it does not (WeasyPrint then tries its next name,
as it does when the standard library finds none). The libraries loaded are the same
files (tests/test_weasyprint_contract.py compares them with a plain import). Where the
cache cannot be read (no ``ldconfig``, as on musl), the standard lookup is left alone.
The C types WeasyPrint asks cffi for are read here too (see C_TYPES).
"""

from __future__ import annotations

import contextlib
import ctypes.util
import functools
import re
import subprocess
import sys
from collections.abc import Iterator

# Where the standard library looks for it too (ctypes.util._findSoname_ldconfig).
LDCONFIG = "/sbin/ldconfig"


@functools.cache
def loader_cache() -> bytes | None:
    """What ``ldconfig -p`` prints: every library the loader's cache lists, or None."""
    try:
        listing = subprocess.run(
            [LDCONFIG, "-p"],
            capture_output=True,
            check=True,
            env={"LC_ALL": "C", "LANG": "C"},
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return listing.stdout


def cached_library(name: str) -> str | None:
    """The file name the loader's cache gives for library ``name`` (as
    ``find_library("pango-1.0")`` gives ``"libpango-1.0.so.0"``), or None."""
    listed = re.search(rb"\s(lib%s\.[^\s]+)\s+\(" % re.escape(name.encode()), loader_cache() or b"")
    return listed.group(1).decode() if listed else None


@contextlib.contextmanager
def quick_lookup() -> Iterator[None]:
    """Within the block, ``ctypes.util.find_library`` answers from the loader's cache
    alone (on Linux, where the cache can be read; elsewhere it is left as it is)."""
    if not sys.platform.startswith("linux") or loader_cache() is None:
        yield
        return
    standard = ctypes.util.find_library
    ctypes.util.find_library = cached_library
    try:
        yield
    finally:
        ctypes.util.find_library = standard


# The C types WeasyPrint names when it calls these libraries (``ffi.new``, ``ffi.cast``).
# cffi reads each name with a C parser the first time it is used, about 2 ms each:
# read here, on import, so that the fork server reads them once for all its workers
# rather than each worker in its first document. A name WeasyPrint no longer knows is
# skipped: it is read, or fails, where WeasyPrint uses it.
C_TYPES = (
    "PangoRectangle *",
    "PangoLogAttr[]",
    "PangoFcFontMap *",
    "FcChar8 **",
    "FcResult *",
    "unsigned int *",
    "hb_tag_t[100]",
    "char[]",
    "char[4]",
)

with quick_lookup():
    from weasyprint.text.ffi import ffi  # noqa: E402 (loads the libraries, once a process)

for c_type in C_TYPES:
    with contextlib.suppress(Exception):  # noqa: BLE001 (see C_TYPES)
        ffi.typeof(c_type)
