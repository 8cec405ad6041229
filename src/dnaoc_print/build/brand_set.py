"""The brands one build uses, each loaded once, with the layouts that wear it.

Planning asks a brand for its name and for the digest of the files its documents are
drawn from; making a job asks it for its layouts. Loading each brand once keeps its
warnings (and its notes) to one each, however many outputs wear it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dnaoc_print.brands.loading import load_brand, template_folders
from dnaoc_print.build.manifest import sha256_file
from dnaoc_print.content.brand_folders import DEFAULT_BRAND
from dnaoc_print.errors import ContentErrors, shown_path
from dnaoc_print.model import Brand, Project

if TYPE_CHECKING:
    from dnaoc_print.render.templating import Templates


class Brands:
    """The brands a build uses, each loaded once, with the layouts that wear it.

    A brand's warnings (contrast below WCAG AA) are kept for the report; under
    ``strict`` they are errors and stop the build before anything is typeset.
    """

    def __init__(self, project: Project, strict: bool = False) -> None:
        self.project = project
        self.strict = strict
        self.notes: list[str] = []
        self.brand_notes: list[str] = []
        self._brands: dict[str, Brand] = {}
        self._layouts: dict[str, Templates] = {}
        self._digests: dict[str, dict[str, str]] = {}

    def brand(self, name: str | None) -> Brand:
        name = name or DEFAULT_BRAND
        if name not in self._brands:
            brand, warnings = load_brand(self.project.root, name)
            if warnings and self.strict:
                raise ContentErrors(warnings)
            self.notes += [str(warning) for warning in warnings]
            self.brand_notes += [note for note in brand.notes if note not in self.brand_notes]
            self._brands[name] = brand
        return self._brands[name]

    def templates(self, name: str | None) -> Templates:
        # Imported here: Jinja and Markdown are only needed when something is typeset.
        from dnaoc_print.render.templating import Templates

        brand = self.brand(name)
        if brand.name not in self._layouts:
            self._layouts[brand.name] = Templates(self.project, brand)
        return self._layouts[brand.name]

    def digest(self, name: str | None) -> dict[str, str]:
        """Hashes of every file a brand's documents are drawn from: layouts, brand, fonts."""
        brand = self.brand(name)
        if brand.name not in self._digests:
            root = self.project.root
            folders = template_folders(root, brand)
            files = {p for folder in folders for p in folder.rglob("*") if p.is_file()}
            files |= {p for p in brand.folder.rglob("*") if p.is_file()}
            files |= {f.path for font in (brand.body_font, brand.heading_font) for f in font.files}
            self._digests[brand.name] = {
                shown_path(path, root).as_posix(): sha256_file(path) for path in sorted(files)
            }
        return self._digests[brand.name]
