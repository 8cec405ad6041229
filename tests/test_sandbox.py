"""The URL fetcher: project files and data: URIs only."""

from __future__ import annotations

from pathlib import Path

import pytest

from dnaoc_print.errors import BuildError
from dnaoc_print.render.templating import RenderedDocument
from dnaoc_print.typeset.typesetting import typeset
from dnaoc_print.typeset.weasyprint_adapter import ProjectFetcher, RefusedResource


def document(tmp_path: Path, body: str) -> RenderedDocument:
    return RenderedDocument(html=f"<html><body>{body}</body></html>", title="t", base_url=tmp_path)


def test_file_inside_the_project_is_read(tmp_path: Path) -> None:
    (tmp_path / "a.css").write_text("p { color: red }")
    response = ProjectFetcher([tmp_path]).fetch((tmp_path / "a.css").as_uri())
    assert response.read() == b"p { color: red }"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x.css",
        "https://example.org/x.png",
        "ftp://example.org/x",
        "file:///etc/passwd",
    ],
)
def test_network_and_outside_files_are_refused(tmp_path: Path, url: str) -> None:
    with pytest.raises(RefusedResource):
        ProjectFetcher([tmp_path]).fetch(url)


def test_symlink_out_of_the_project_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("secret")
    project = tmp_path / "project"
    project.mkdir()
    (project / "link.css").symlink_to(outside)
    with pytest.raises(RefusedResource):
        ProjectFetcher([project]).fetch((project / "link.css").as_uri())


def test_refused_resource_fails_the_document_with_its_name(tmp_path: Path) -> None:
    doc = document(tmp_path, '<img src="https://example.org/logo.png">')
    with pytest.raises(BuildError, match="refused to fetch 'https://example.org/logo.png'"):
        typeset(doc, "guide demo", [tmp_path])
