"""What every worker imports before its first piece of work: once, in the fork server
it is forked from (fork_server.py), so that no worker pays for it."""

from __future__ import annotations

import contextlib

# Modules every worker needs, imported once in the fork server (so that each worker
# forked from it has them, and what they prepare on import, without the cost): the
# typesetting (with the font check) and the split, the building of a batch, and the
# font check's reader (fontTools reads a font's tables with modules it imports on
# first use), and what a worker's first document imports (about 12 ms a worker): the
# glyph names a font subset is written with, Pillow's image readers, and the email
# headers WeasyPrint gives a fetched resource. An import that fails here fails again,
# and is reported, where it is used.
PRELOAD = [
    "dnaoc_print.typeset.typesetting",
    "dnaoc_print.pdf.splitting",
    "dnaoc_print.build.jobs",
    "dnaoc_print.build.handout_typesetting",
    "fontTools.ttLib",
    "fontTools.ttLib.tables._n_a_m_e",
    "fontTools.ttLib.tables._c_m_a_p",
    "fontTools.ttLib.tables._h_h_e_a",
    "fontTools.ttLib.tables._g_a_s_p",
    "fontTools.ttLib.tables.S_T_A_T_",
    "fontTools.agl",
    "PIL.BmpImagePlugin",
    "PIL.GifImagePlugin",
    "PIL.JpegImagePlugin",
    "PIL.PngImagePlugin",
    "PIL.PpmImagePlugin",
    "email.policy",
]


def import_preloaded() -> None:
    """Import every module in PRELOAD; one that cannot be imported is reported where
    it is used."""
    for module in PRELOAD:
        with contextlib.suppress(ImportError):
            __import__(module)
