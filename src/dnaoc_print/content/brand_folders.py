"""Which folders in ``brands/`` are brands, and which one a name means.

A brand is named by its folder, matched without regard to case: ``--brand acme-trust``
finds ``brands/Acme-Trust/``, and ``list``, ``check`` and ``build`` all agree on it. A
folder whose name cannot be a brand name (a space, an underscore) is refused
everywhere with the one rename that fixes it, never half-accepted.
"""

from __future__ import annotations

import re
from pathlib import Path

from dnaoc_print.errors import ContentError, ContentErrors, did_you_mean

BRANDS_FOLDER = "brands"
# Our own brand file, and the brand.yml file Quarto and Shiny read (Posit's format).
BRAND_FILE = "brand.yaml"
BRAND_YML_FILE = "_brand.yml"
BRAND_FILES = (BRAND_FILE, BRAND_YML_FILE)
USABLE_NAME = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")


def name_key(name: str) -> str:
    """The form two names share when they mean the same brand: 'Acme Trust' -> 'acme-trust'."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def brand_folders(root: Path) -> dict[str, Path]:
    """Every folder in brands/ holding a brand file, by folder name, sorted."""
    folder = root / BRANDS_FOLDER
    if not folder.is_dir():
        return {}
    found = {
        path.name: path
        for path in folder.iterdir()
        if path.is_dir() and any((path / name).is_file() for name in BRAND_FILES)
    }
    return dict(sorted(found.items(), key=lambda item: item[0].lower()))


def brand_file(folder: Path) -> Path:
    """The file a brand folder is read from: brand.yaml if there is one, else _brand.yml."""
    ours = folder / BRAND_FILE
    return ours if ours.is_file() else folder / BRAND_YML_FILE


def folder_problems(root: Path) -> dict[str, ContentError]:
    """Brand folders that cannot be used as they are named, each with the rename to make."""
    problems: dict[str, ContentError] = {}
    by_key: dict[str, list[str]] = {}
    for name in brand_folders(root):
        by_key.setdefault(name_key(name), []).append(name)
        if not USABLE_NAME.fullmatch(name):
            problems[name] = ContentError(
                f"'{name}' cannot be a brand name",
                path=Path(BRANDS_FOLDER) / name,
                hint=f"rename the folder to '{name_key(name) or 'my-brand'}' "
                "(letters, digits and hyphens)",
            )
    for names in by_key.values():
        if len(names) < 2:
            continue
        for name in names:
            others = " and ".join(f"'{other}'" for other in names if other != name)
            problems[name] = ContentError(
                f"brand folders {', '.join(repr(n) for n in names)} differ only in "
                "capitals or punctuation, so one name would mean both",
                path=Path(BRANDS_FOLDER) / name,
                hint=f"rename or remove one of them (this one, or {others})",
            )
    return problems


def find_brand(root: Path, name: str) -> str:
    """The folder name of the brand ``name`` means, matched without regard to case.

    Raises ContentErrors saying what to do: the rename a folder needs, or the closest
    brand to a name that matches none.
    """
    folders = brand_folders(root)
    problems = folder_problems(root)
    matches = [folder for folder in folders if name_key(folder) == name_key(name)]
    if len(matches) == 1 and matches[0] not in problems:
        return matches[0]
    if matches:
        raise ContentErrors([problems[matches[0]]])
    usable = [folder for folder in folders if folder not in problems]
    hint = did_you_mean(name, usable) or did_you_mean(
        name_key(name), [name_key(folder) for folder in usable]
    )
    raise ContentErrors(
        [
            ContentError(
                f"no brand '{name}'",
                path=Path(BRANDS_FOLDER) / name,
                hint=hint
                or f"brands: {', '.join(usable) or 'none'}; a brand is a folder in brands/ "
                f"holding a {BRAND_FILE} (or a {BRAND_YML_FILE})",
            )
        ]
    )
