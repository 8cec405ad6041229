"""The documentation site: where its sources are, building it, serving it while it is edited.

The site is MkDocs (mkdocs.yml beside docs/, in the source checkout this package runs
from), with the Material theme; both are the `docs` extra, imported only here and only
when asked, so nothing else needs them. `dnaoc-print docs` builds the site into
build/site and opens it; `dnaoc-print serve` shows that built site under /help/
(help_pages.py).
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path

from dnaoc_print.errors import DnaocError

CONFIG = "mkdocs.yml"
INSTALL_HINT = "install the documentation tools with: pip install -e '.[docs]'"


def docs_root() -> Path | None:
    """The folder holding mkdocs.yml and docs/: the checkout this package runs from,
    or None when it was installed without its documentation."""
    for folder in Path(__file__).resolve().parents:
        if (folder / CONFIG).is_file() and (folder / "docs").is_dir():
            return folder
    return None


def default_site_dir(root: Path) -> Path:
    return root / "build" / "site"


def built_site() -> Path | None:
    """The site `dnaoc-print docs` built, if it has been built."""
    root = docs_root()
    if root is None:
        return None
    site = default_site_dir(root)
    return site if (site / "index.html").is_file() else None


def required_root() -> Path:
    root = docs_root()
    if root is None:
        raise DnaocError(
            "this copy of dnaoc-print has no documentation sources (mkdocs.yml and docs/): "
            "they come with the project's source folder; run the command from a copy "
            "installed with pip install -e ."
        )
    return root


def build_site(out: Path | None = None) -> Path:
    """Build the whole site, strictly (a broken link or missing page fails it), into
    ``out`` (default build/site); the old site is replaced only by a complete one."""
    root = required_root()
    out = (out or default_site_dir(root)).resolve()
    build, load_config, abort = _mkdocs()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".site-", dir=out.parent))
    try:
        config = load_config(str(root / CONFIG), site_dir=str(staging), strict=True)
        build(config)
    except abort as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise DnaocError(f"the documentation site did not build: {error}") from error
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if out.exists():
        shutil.rmtree(out)
    staging.rename(out)
    return out


def serve_site(port: int, open_browser: bool) -> None:
    """Serve the site on 127.0.0.1 until Ctrl-C, rebuilt each time a page is saved."""
    root = required_root()
    _mkdocs()
    from mkdocs.commands.serve import serve

    # MkDocs says what it serves and what it rebuilds through its logger.
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        serve(
            config_file=str(root / CONFIG),
            open_in_browser=open_browser,
            dev_addr=f"127.0.0.1:{port}",
            strict=True,
        )
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def _mkdocs():
    # The theme prints a notice about its future on every build: not this site's business.
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    try:
        import material  # noqa: F401  (the theme mkdocs.yml names)
        from mkdocs.commands.build import build
        from mkdocs.config import load_config
        from mkdocs.exceptions import MkDocsException
    except ImportError as error:
        raise DnaocError(
            f"the documentation site needs MkDocs and its theme: {INSTALL_HINT}"
        ) from error
    return build, load_config, MkDocsException
