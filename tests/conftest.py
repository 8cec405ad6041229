"""Shared fixtures: a fresh copy of the project for each test that edits content,
and one build of the shipped project for the tests that read PDFs."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from dnaoc_print.brands.loading import load_brand
from dnaoc_print.build.engine import BuildReport, build
from dnaoc_print.content.brand_folders import DEFAULT_BRAND
from dnaoc_print.content.loading import load_project
from dnaoc_print.model import Project
from dnaoc_print.render.templating import Templates

PROJECT_ROOT = Path(__file__).resolve().parents[1]
PROJECT_FOLDERS = ("content", "layouts", "fonts", "brands")


def copy_project(destination: Path) -> Path:
    destination.mkdir(parents=True, exist_ok=True)
    for folder in PROJECT_FOLDERS:
        shutil.copytree(PROJECT_ROOT / folder, destination / folder)
    return destination


@pytest.fixture
def temporary_folder() -> Iterator[Path]:
    """A fresh, empty folder to be a command's TMPDIR. Its path is short: multiprocessing
    puts its fork server's socket there, and a Unix socket's path has at most 107
    bytes, which a test's tmp_path can exceed."""
    folder = Path(tempfile.mkdtemp(prefix="tmpdir-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    """A private copy of the project that a test may edit."""
    return copy_project(tmp_path / "project")


def keep_only(root: Path, guides: tuple[str, ...], handouts: tuple[str, ...] = ()) -> Path:
    """Remove every guide and handout spec but these, so a build of ``root`` is quick."""
    for path in (root / "content/guides").glob("*.md"):
        if path.stem not in guides:
            path.unlink()
    for path in (root / "content/handouts").glob("*.yaml"):
        if path.stem not in handouts:
            path.unlink()
    return root


@pytest.fixture
def one_guide(project_dir: Path) -> Path:
    """A private copy of the project with the Compassion guide and no handouts."""
    return keep_only(project_dir, ("compassion",))


def default_layouts(project: Project) -> Templates:
    """The layouts in the default brand, as a plain build uses them."""
    return Templates(project, load_brand(project.root, DEFAULT_BRAND)[0])


@dataclass
class BuiltProject:
    project: Project
    report: BuildReport
    out_dir: Path

    paper: str = "a4"

    def guide_pdf(self, slug: str) -> Path:
        suffix = "" if self.paper == "a4" else f"-{self.paper}"
        return self.out_dir / "guides" / f"{slug}{suffix}.pdf"


def build_shipped_project(
    tmp_path_factory: pytest.TempPathFactory, paper: str, brand: str | None = None
) -> BuiltProject:
    root = copy_project(tmp_path_factory.mktemp(f"built-{paper}-{brand}") / "project")
    out_dir = root / "build"
    report = build(root, out_dir, paper=paper, brand=brand)
    assert not report.failed, [outcome.error for outcome in report.failed]
    return BuiltProject(load_project(root), report, out_dir, paper)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuiltProject:
    """The shipped project, built once on A4 for every test that reads its PDFs."""
    return build_shipped_project(tmp_path_factory, "a4")


@pytest.fixture(scope="session")
def built_a5(tmp_path_factory: pytest.TempPathFactory) -> BuiltProject:
    """The shipped project's guides on A5 (``build --paper a5``)."""
    return build_shipped_project(tmp_path_factory, "a5")


@pytest.fixture(scope="session")
def built_example_brand(tmp_path_factory: pytest.TempPathFactory) -> BuiltProject:
    """The shipped project in the example trust's brand (``build --brand example-trust``)."""
    return build_shipped_project(tmp_path_factory, "a4", brand="example-trust")


# The print outputs of one guide and one handout, for the session (printed_outputs.py).
from printed_outputs import printed  # noqa: E402, F401


@pytest.fixture
def built_project_dir(built: BuiltProject, tmp_path: Path) -> Path:
    """A private copy of the shipped project as ``built`` left it, its build/ folder
    and manifest included. The manifest's fingerprints hash the files' contents, not
    where they are, so the copy is up to date: a test that changes something in it
    pays only for the outputs that change."""
    return Path(shutil.copytree(built.project.root, tmp_path / "project", symlinks=True))
