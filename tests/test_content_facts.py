"""Content safety: every story address is a verified one, and no prose is copied.

Both checks read the project's shared reference folder (``../shared`` beside the
project), which holds the verified story list and the copied-prose checker. They
are skipped where that folder is absent.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
import yaml

from dnaoc_print.loading import load_project

from conftest import PROJECT_ROOT

SHARED = PROJECT_ROOT.parent / "shared"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared is not beside the project")


@needs_shared
def test_every_story_is_a_verified_story_with_its_verified_address() -> None:
    verified = yaml.safe_load((SHARED / "reference/stories.yaml").read_text())
    verified_urls = {entry["title"]: entry["url"] for entry in verified}
    stories = load_project(PROJECT_ROOT).stories
    assert len(stories) == len(verified_urls)
    for story in stories.values():
        assert story.title in verified_urls, f"'{story.title}' is not a verified story"
        assert story.url == verified_urls[story.title], story.id


@needs_shared
def test_no_prose_is_copied_from_the_seed_guide() -> None:
    result = subprocess.run(
        [sys.executable, str(SHARED / "tools/seed_overlap.py"), str(PROJECT_ROOT)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout == "", result.stdout
