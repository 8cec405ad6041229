"""`dnaoc-print brand export NAME`: a brand written as brand.yml, for a team's other tools.

The export is a folder holding ``_brand.yml`` and copies of the files it names (logo,
fonts and their licences, stylesheet), with paths relative to it, as brand.yml asks.
Quarto, Shiny and the brand-yml package read it; copied into ``brands/`` it is a
dnaoc-print brand again, and builds the same PDFs. What brand.yml has no field for
(footer, contact, stylesheet, derived colours the brand gave rather than left to be
worked out, unicode ranges of split font files) goes under ``defaults.dnaoc-print``, a
section other tools skip.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from dnaoc_print.atomic import write_atomic
from dnaoc_print.brands.brand_yml import EXTRA_COLOURS, THEME_COLOURS, TOOL
from dnaoc_print.brands.contrast import derive_colours
from dnaoc_print.brands.fonts import UNICODE_RANGES
from dnaoc_print.brands.loading import load_brand
from dnaoc_print.content.brand_folders import BRAND_YML_FILE, BRANDS_FOLDER
from dnaoc_print.errors import DnaocError, shown_path
from dnaoc_print.model import Brand

EXPORT_FOLDER = Path("build") / "brand-yml"
# Licence files that travel with the font files they sit beside.
LICENCE_PATTERNS = ("OFL*.txt", "LICENSE*", "LICENCE*")

HEADER = """\
# brand.yml for {organisation}, exported by dnaoc-print from {source}.
# Quarto, Shiny and the brand-yml package read this file; copied (with this folder's
# files) into a dnaoc-print project's brands/ folder, it is a brand again.
# defaults.dnaoc-print holds what brand.yml has no field for; other tools skip it.
"""


@dataclass
class Export:
    brand_file: Path
    copied: list[Path] = field(default_factory=list)
    # What could not be exported (a brand's own layouts).
    notes: list[str] = field(default_factory=list)


def default_export_folder(root: Path, brand: Brand) -> Path:
    return root / EXPORT_FOLDER / brand.name.lower()


def export_brand(root: Path, name: str, out_dir: Path | None = None) -> Export:
    """Write brand ``name`` as ``out_dir/_brand.yml`` plus the files it names."""
    root = root.resolve()
    brand, _ = load_brand(root, name)
    out_dir = (out_dir or default_export_folder(root, brand)).resolve()
    if out_dir == brand.folder:
        raise DnaocError(f"will not export {BRANDS_FOLDER}/{brand.name} into its own folder")
    files: dict[Path, str] = {}

    def place(path: Path, folder: str = "") -> str:
        """The path ``path`` is copied to, relative to the export."""
        relative = f"{folder}{path.name}"
        for other, placed in files.items():
            if placed == relative and other != path and other.read_bytes() != path.read_bytes():
                raise DnaocError(
                    f"two different files are both called {path.name}: {other} and {path}; "
                    "rename one"
                )
        files[path] = relative
        return relative

    data = brand_yml_data(brand, place)
    for font in (brand.body_font, brand.heading_font):
        for font_file in font.files:
            for pattern in LICENCE_PATTERNS:
                for licence in font_file.path.parent.glob(pattern):
                    place(licence, "fonts/")
    export = Export(out_dir / BRAND_YML_FILE)
    for source, relative in files.items():
        target = out_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        export.copied.append(target)
    source = shown_path(brand.folder, root)
    text = HEADER.format(organisation=brand.organisation, source=source.as_posix() + "/")
    text += yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    write_atomic(export.brand_file, text.encode("utf-8"))
    if brand.layouts is not None:
        export.notes.append(
            f"{shown_path(brand.layouts, root)}/ is not exported: brand.yml has no place for "
            "layouts; copy the folder by hand"
        )
    return export


def brand_yml_data(brand: Brand, place) -> dict:
    """The brand as brand.yml's fields; ``place`` says where each named file goes."""
    range_names = {value: name for name, value in UNICODE_RANGES.items()}
    data: dict = {"meta": {"name": brand.organisation}}
    if brand.logo is not None:
        data["logo"] = {"medium": place(brand.logo)}
    data["color"] = {theirs: brand.colours[ours] for theirs, ours in THEME_COLOURS.items()}
    families: dict[str, list[dict]] = {}
    ranges: dict[str, str] = {}
    for font in (brand.body_font, brand.heading_font):
        entries = families.setdefault(font.family, [])
        for font_file in font.files:
            path = place(font_file.path, "fonts/")
            if any(entry["path"] == path for entry in entries):
                continue
            entries.append({"path": path, "weight": font_file.weight, "style": font_file.style})
            if font_file.unicode_range:
                ranges[path] = range_names.get(font_file.unicode_range, font_file.unicode_range)
    data["typography"] = {
        "fonts": [
            {"family": family, "source": "file", "files": entries}
            for family, entries in families.items()
        ],
        "base": brand.body_font.family,
        "headings": brand.heading_font.family,
    }
    ours: dict = {}
    for key in ("footer", "contact"):
        if getattr(brand, key):
            ours[key] = getattr(brand, key)
    if brand.css is not None:
        ours["css"] = place(brand.css)
    if extra := given_extra_colours(brand.colours):
        ours["colours"] = extra
    if ranges:
        ours["unicode-ranges"] = ranges
    data["defaults"] = {TOOL: ours}
    return data


def given_extra_colours(colours: dict[str, str]) -> dict[str, str]:
    """The colours beyond the five that are not what the five would give: those a brand
    set to something else.

    A colour that is what it would be worked out as is left out, so the brand read back
    works it out again too: a contrast warning then suggests the same colour, with the
    same ratio, for both brands (had the export given the tint, say, the suggestion
    would be checked against that tint instead of one worked out from it).
    """
    extra: dict[str, str] = {}
    # In the order derive_colours works them out (the muted colour reads the tint).
    for key in ("tint", "rule", "on_primary", "muted"):
        given = {ours: colours[ours] for ours in THEME_COLOURS.values()} | extra
        if derive_colours(given)[key] != colours[key]:
            extra[key] = colours[key]
    return {key: extra[key] for key in EXTRA_COLOURS if key in extra}
