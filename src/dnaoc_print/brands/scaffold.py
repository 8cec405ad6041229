"""`dnaoc-print new brand NAME`: a brand folder that builds at once, every field explained.

The new brand uses the project's own font files (fonts/) and colours that pass every
contrast check, so `build --brand NAME` works before anything is edited; the comments
say what each field does and where it shows.
"""

from __future__ import annotations

from pathlib import Path

from dnaoc_print.brands.reader import LOGO_SUFFIXES, MAX_LOGO_BYTES
from dnaoc_print.content.brand_folders import BRAND_FILE, BRANDS_FOLDER, brand_folders, name_key
from dnaoc_print.errors import DnaocError

BRAND = """\
# The brand '{name}': how every guide and handout looks when built with
#   dnaoc-print build --brand {name}
# (outputs go to build/{name}/). Edit any value, then build again; `dnaoc-print
# brand show {name}` prints a one-page specimen of the whole brand, and
# `dnaoc-print check --brand {name}` reports anything wrong, with its line.
# A team that already keeps a brand.yml can put its _brand.yml in this folder
# instead of this file (see the docs, "Use an existing _brand.yml").

# Printed on each guide's cover and back page, and on each handout.
organisation: {organisation}

# Optional: your logo, a file in this folder (e.g. logo: logo.svg):
# {logo_types}, under {logo_limit}.
# It is scaled to fit its space on the cover and on the handout band.
# logo: logo.svg

# Optional: the line at the foot of every guide page and handout.
footer: {organisation}

# Optional: how to get in touch, printed on the back page and on handouts.
# contact: "Questions about these sessions: learning@example.org"

# Colours, as "#rrggbb" in quotes (a bare # starts a comment). Text colours are
# checked against the backgrounds they are printed on: below 4.5:1 (WCAG AA) you get
# a warning naming one colour that passes everywhere the setting is used.
colours:
  primary: "#2d4f7c"      # headings, the cover, the handout band
  secondary: "#4a8c8c"    # decoration only (the cover's double helix)
  accent: "#d9a13b"       # small accents only, never text
  text: "#1f2933"         # body text
  background: "#ffffff"   # the page
  # Optional, otherwise worked out from the five above so they read well:
  # on_primary (text on the band), muted (captions), tint (panels), rule (lines).

# Fonts: each family with its files (WOFF2, WOFF, TTF or OTF), in this folder or in
# the project's fonts/. These are the project's own Atkinson Hyperlegible Next files;
# to use your own, copy the files here and list them, one per weight and style.
fonts:
  body:
    family: Atkinson Hyperlegible Next
    files:
      - {{path: atkinson-hyperlegible-next-latin-400-normal.woff, weight: 400, style: normal}}
      - {{path: atkinson-hyperlegible-next-latin-400-italic.woff, weight: 400, style: italic}}
      - {{path: atkinson-hyperlegible-next-latin-700-normal.woff, weight: 700, style: normal}}
      - {{path: atkinson-hyperlegible-next-latin-700-italic.woff, weight: 700, style: italic}}
  headings:
    family: Atkinson Hyperlegible Next
    files:
      - {{path: atkinson-hyperlegible-next-latin-700-normal.woff, weight: 700, style: normal}}

# Optional: a stylesheet of your own in this folder, applied last.
# css: extra.css
"""


def new_brand(root: Path, name: str) -> Path:
    """Write ``brands/<name>/brand.yaml``; refuse a name another brand already answers to."""
    folder_name = name_key(name)
    if not folder_name:
        raise DnaocError(f"'{name}' cannot be a brand name: use letters, digits and hyphens")
    for existing in brand_folders(root):
        if name_key(existing) == folder_name:
            raise DnaocError(f"{BRANDS_FOLDER}/{existing} already exists; choose another name")
    folder = root / BRANDS_FOLDER / folder_name
    if folder.exists():
        raise DnaocError(f"{BRANDS_FOLDER}/{folder_name} already exists; choose another name")
    organisation = folder_name.replace("-", " ").title()
    folder.mkdir(parents=True)
    path = folder / BRAND_FILE
    text = BRAND.format(
        name=folder_name,
        organisation=organisation,
        logo_types=logo_types(),
        logo_limit=f"{MAX_LOGO_BYTES / 1_000_000:g} MB",
    )
    path.write_text(text, encoding="utf-8")
    return path


def logo_types() -> str:
    """The logo files a brand accepts, said as reader.py checks them:
    'SVG, PNG or JPEG (.svg, .png, .jpg or .jpeg)'."""
    names = list(dict.fromkeys(_TYPE_NAMES.get(s, s[1:].upper()) for s in LOGO_SUFFIXES))
    suffixes = list(LOGO_SUFFIXES)
    return f"{', '.join(names[:-1])} or {names[-1]} ({', '.join(suffixes[:-1])} or {suffixes[-1]})"


# One name for the two suffixes of a JPEG.
_TYPE_NAMES = {".jpg": "JPEG", ".jpeg": "JPEG"}
