"""WeasyPrint's text libraries (GObject, Pango, HarfBuzz, fontconfig) loaded without a
compiler run for every name that is not there.

WeasyPrint loads each library by trying several names in turn, the Windows and macOS
ones first. For a name without a path, cffi asks ``ctypes.util.find_library``, which on
Linux runs ``ldconfig -p`` and, when the name is not in the loader's cache, gcc and
then ld: 54 programs started each time a process imports WeasyPrint (as the fork
server of every build and the web server do), 0.12 to 0.19 s of CPU in them and up
to 50 ms more in the process starting them. The names Linux has come later in each
list, and the loader finds them itself.

So on Linux, while WeasyPrint's text module is imported, ``find_library`` answers from
one reading of the loader's cache: the name the standard library would give for a
library the cache lists for this machine's ABI, none for one it does not (WeasyPrint
then tries its next name, as it does when the standard library finds none). The
libraries loaded are the same files (tests/test_weasyprint_contract.py compares them
with a plain import). Where the cache cannot be read (no ``ldconfig``, or one that lists
nothing, as musl's), the standard lookup is left alone. The C types WeasyPrint asks cffi
for are read here too (see C_TYPES).
"""

from __future__ import annotations

import contextlib
import ctypes.util
import functools
import os
import re
import struct
import subprocess
import sys
from collections.abc import Iterator

# Where the standard library looks for it too (ctypes.util._findSoname_ldconfig).
LDCONFIG = "/sbin/ldconfig"
# The tag ldconfig gives the libraries of a machine's own ABI, as the standard library
# reads it: a 32-bit copy listed first must not answer for a 64-bit process.
ABI_TAGS = {
    "x86_64-64": "libc6,x86-64",
    "ppc64-64": "libc6,64bit",
    "sparc64-64": "libc6,64bit",
    "s390x-64": "libc6,64bit",
    "ia64-64": "libc6,IA-64",
}


def abi_tag() -> str:
    """The tag of this process's ABI in ``ldconfig -p``'s listing (e.g. ``libc6,x86-64``)."""
    bits = "-32" if struct.calcsize("l") == 4 else "-64"
    return ABI_TAGS.get(os.uname().machine + bits, "libc6")


@functools.cache
def loader_cache() -> bytes | None:
    """What ``ldconfig -p`` prints: every library the loader's cache lists, or None
    where there is no such listing."""
    try:
        listing = subprocess.run(
            [LDCONFIG, "-p"],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            check=True,
            env={"LC_ALL": "C", "LANG": "C"},
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    # musl's ldconfig is a stub that lists nothing: no listing to answer from.
    return listing.stdout if b" => " in listing.stdout else None


def cached_library(name: str) -> str | None:
    """The file name the loader's cache gives for library ``name`` (as
    ``find_library("pango-1.0")`` gives ``"libpango-1.0.so.0"``), or None."""
    pattern = rb"\s+(lib%s\.[^\s]+)\s+\(%s" % (
        re.escape(os.fsencode(name)),
        re.escape(abi_tag().encode()),
    )
    listed = re.search(pattern, loader_cache() or b"")
    return os.fsdecode(listed.group(1)) if listed else None


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
# rather than each worker in its first document. A contract test checks that these
# are the names WeasyPrint's source uses; one it no longer knows is left to fail where
# WeasyPrint would use it.
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
    # Loads the libraries, once a process (imported here, after the lookup is set up).
    from weasyprint.text.ffi import ffi

for c_type in C_TYPES:
    with contextlib.suppress(Exception):  # cffi's own errors (see C_TYPES)
        ffi.typeof(c_type)
