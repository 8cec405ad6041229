"""Fuzzing: whatever the input, a clean error or a valid result, never a traceback or a hang."""

from __future__ import annotations

import io
import string
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from dnaoc_print.brands.loading import load_brand
from dnaoc_print.content.loading import load_project
from dnaoc_print.content.spec_overrides import apply_overrides
from dnaoc_print.content.specs import HANDOUT_FIELDS, HandoutReader
from dnaoc_print.content.yaml_source import LineDict, parse_yaml
from dnaoc_print.errors import ContentError, ContentErrors, DnaocError
from dnaoc_print.render.markup import MarkdownRenderer

FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10, 10**6),
    st.text(max_size=40),
    st.sampled_from(["touch", "stay", "compassion:3", "2026-12-01", "#5b2a6e", "a4"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
markdownish = st.text(alphabet=string.printable + "‘’“”–—éł<>{}[]()!#*_`|\\", max_size=400)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import copy_project

    return copy_project(tmp_path_factory.mktemp("fuzz") / "project")


@FUZZ
@given(text=st.text(max_size=300))
def test_any_yaml_text_parses_or_gives_a_content_error(text: str) -> None:
    try:
        parse_yaml(text, Path("fuzz.yaml"))
    except ContentError as error:
        assert "fuzz.yaml" in str(error)


@FUZZ
@given(
    front=st.dictionaries(
        st.sampled_from(
            ["title", "order", "stories", "questions", "subtitle", "references", "updated", "odd"]
        ),
        values,
        max_size=6,
    ),
    body=markdownish,
)
def test_any_front_matter_loads_or_gives_content_errors(project: Path, front, body) -> None:
    guide = project / "content/guides/fuzzed.md"
    guide.write_text("---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n" + body)
    try:
        load_project(project)
    except ContentErrors as errors:
        assert all(isinstance(error, ContentError) for error in errors.errors)
    finally:
        guide.unlink()


@FUZZ
@given(spec=st.dictionaries(st.sampled_from([*HANDOUT_FIELDS, "odd"]), values, max_size=8))
def test_any_handout_spec_reads_or_gives_content_errors(project: Path, spec) -> None:
    loaded = load_project(project)
    errors: list[ContentError] = []
    reader = HandoutReader(loaded.stories, loaded.guides, errors)
    data = parse_yaml(yaml.safe_dump(spec), Path("spec.yaml")) or LineDict.empty()
    if not isinstance(data, LineDict):
        return
    handout = reader.handout(data, "fuzzed", Path("spec.yaml"))
    assert handout is not None or errors


@FUZZ
@given(
    row=st.dictionaries(
        st.sampled_from(
            [
                "title",
                "stories",
                "questions",
                "session.date",
                "session.venue",
                "paper",
                "layout",
                "notes",
                "content_warning",
                "odd.nested",
            ]
        ),
        st.text(max_size=30),
        max_size=6,
    )
)
def test_any_csv_row_reads_or_gives_content_errors(project: Path, row) -> None:
    loaded = load_project(project)
    errors: list[ContentError] = []
    reader = HandoutReader(loaded.stories, loaded.guides, errors)
    base = parse_yaml("title: Base\nstories: [stay]\n", Path("spec.yaml"))
    data = apply_overrides(base, {k: v or None for k, v in row.items()}, Path("rows.csv"), 2)
    handout = reader.handout(data, "row", Path("spec.yaml"))
    assert handout is not None or errors
    assert all("rows.csv" in str(e) or "spec.yaml" in str(e) for e in errors)


@FUZZ
@given(
    changes=st.dictionaries(
        st.sampled_from(
            ["organisation", "logo", "footer", "colours", "fonts", "css", "contact", "odd"]
        ),
        values,
        max_size=4,
    )
)
def test_any_brand_file_loads_or_gives_content_errors(project: Path, changes) -> None:
    brand_file = project / "brands/example-trust/brand.yaml"
    original = brand_file.read_text()
    data = yaml.safe_load(original)
    data.update(changes)
    brand_file.write_text(yaml.safe_dump(data, allow_unicode=True))
    try:
        load_brand(project, "example-trust")
    except ContentErrors as errors:
        assert all("brands/example-trust/brand.yaml" in str(e) for e in errors.errors)
    finally:
        brand_file.write_text(original)


@FUZZ
@given(text=markdownish)
def test_markdown_never_lets_markup_through(text: str) -> None:
    html = MarkdownRenderer().block(text)
    lowered = html.lower()
    assert "<script" not in lowered and "<style" not in lowered and "<iframe" not in lowered
    assert " onerror=" not in lowered and " onclick=" not in lowered
    assert 'href="javascript' not in lowered and 'src="javascript' not in lowered


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=markdownish)
def test_any_markdown_body_typesets_to_a_valid_pdf_or_a_clean_error(project: Path, body) -> None:
    from dnaoc_print.typeset.typesetting import typeset

    from conftest import default_layouts

    loaded = load_project(project)
    guide = loaded.guide("compassion")
    import dataclasses

    layouts = default_layouts(loaded)
    document = layouts.guide(dataclasses.replace(guide, body=body))
    try:
        result = typeset(document, "guide fuzzed", [loaded.root])
    except DnaocError:
        return
    assert len(PdfReader(io.BytesIO(result.pdf)).pages) >= 1
