"""Brand kits: ``brands/<name>/brand.yaml`` loaded, checked and completed.

A brand names its organisation, logo, colours, fonts, footer and contact line, and
may add a stylesheet and its own layouts. Which folder a name means is
brand_folders.py's business; the file is read by reader.py, or, for a folder
holding a ``_brand.yml`` instead, by brand_yml.py.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from dnaoc_print.brands.reader import BrandReader
from dnaoc_print.content.brand_folders import (
    BRAND_FILE,
    BRAND_YML_FILE,
    BRANDS_FOLDER,
    DEFAULT_BRAND,
    brand_file,
    find_brand,
)
from dnaoc_print.errors import ContentError
from dnaoc_print.model import Brand


def template_folders(project_root: Path, brand: Brand) -> list[Path]:
    """Where a brand's layouts are looked for: its own folder first, then the project's."""
    folders = [project_root / "layouts"]
    if brand.layouts is not None:
        folders.insert(0, brand.layouts)
    return folders


def load_brand(root: Path, name: str) -> tuple[Brand, list[ContentError]]:
    """The brand called ``name`` (any capitals), and its warnings (contrast below WCAG AA).

    A folder holding a ``_brand.yml`` and no ``brand.yaml`` is read as brand.yml (see
    brand_yml.py). Raises ContentErrors listing every error in the brand file.
    """
    root = root.resolve()
    folder_name = find_brand(root, name)
    path = brand_file(root / BRANDS_FOLDER / folder_name)
    if path.name == BRAND_YML_FILE:
        from dnaoc_print.brands.brand_yml import BrandYmlReader

        reader: BrandReader = BrandYmlReader(
            root, folder_name, BRAND_YML_FILE, lambda: load_brand(root, DEFAULT_BRAND)[0]
        )
    else:
        reader = BrandReader(root, folder_name)
        if (path.parent / BRAND_YML_FILE).is_file():
            reader.notes.append(
                ContentError(
                    f"{BRAND_YML_FILE} is not read: this folder's {BRAND_FILE} is",
                    path=Path(BRANDS_FOLDER) / folder_name / BRAND_YML_FILE,
                    hint=f"remove {BRAND_FILE} to use {BRAND_YML_FILE} instead",
                )
            )
    brand = reader.read()
    notes = tuple(str(note) for note in reader.notes)
    return dataclasses.replace(brand, notes=notes), reader.warnings
