"""Loading and validation: errors name the file, the line and a fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from dnaoc_print.content.loading import load_project
from dnaoc_print.errors import ContentErrors


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def load_errors(root: Path) -> list[str]:
    with pytest.raises(ContentErrors) as caught:
        load_project(root)
    return [str(error) for error in caught.value.errors]


def test_shipped_content_loads(project_dir: Path) -> None:
    project = load_project(project_dir)
    assert "touch" in project.stories
    assert "compassionate-leadership" in [guide.slug for guide in project.guides]
    guide = project.guide("compassionate-leadership")
    assert [story.id for story in guide.stories][:2] == ["touch", "the-light-on-the-water"]
    assert project.stories["touch"].url == "https://www.patientvoices.org.uk/flv/1006pv384.htm"


def test_unknown_story_in_guide_names_file_line_id_and_suggestion(project_dir: Path) -> None:
    guide = project_dir / "content/guides/compassionate-leadership.md"
    replace_in(guide, "  - stay\n", "  - stya\n")
    [error] = load_errors(project_dir)
    expected_line = line_of(guide, "- stya")
    assert error.startswith(f"content/guides/compassionate-leadership.md, line {expected_line}:")
    assert "unknown story id 'stya'" in error
    assert "did you mean 'stay'?" in error


def test_unknown_story_in_handout_names_file_line_id_and_suggestion(project_dir: Path) -> None:
    spec = project_dir / "content/handouts/compassionate-leadership.yaml"
    replace_in(spec, "  - touch\n", "  - tuoch\n")
    [error] = load_errors(project_dir)
    assert error.startswith(
        f"content/handouts/compassionate-leadership.yaml, line {line_of(spec, 'tuoch')}:"
    )
    assert "unknown story id 'tuoch'" in error
    assert "did you mean 'touch'?" in error


def test_every_problem_in_every_file_is_reported_at_once(project_dir: Path) -> None:
    replace_in(
        project_dir / "content/guides/compassionate-leadership.md", "order: 3", "order: three"
    )
    spec = project_dir / "content/handouts/compassionate-leadership.yaml"
    replace_in(spec, "date: 2026-12-01", "date: 2026-13-01")
    replace_in(spec, "notes: lines", "notes: scribbles")
    errors = load_errors(project_dir)
    assert len(errors) == 3
    assert any("'order' must be a whole number" in error for error in errors)
    assert any(
        "'session.date' is not a date: '2026-13-01'" in error and "YYYY-MM-DD" in error
        for error in errors
    )
    assert any(
        "'notes' must be one of none, lines, box, not 'scribbles'" in error for error in errors
    )


def test_question_reference_beyond_the_guide_is_an_error(project_dir: Path) -> None:
    spec = project_dir / "content/handouts/compassionate-leadership.yaml"
    replace_in(spec, "compassionate-leadership:9", "compassionate-leadership:99")
    [error] = load_errors(project_dir)
    assert f"line {line_of(spec, ':99')}" in error
    assert "guide 'compassionate-leadership' has no question 99" in error and "1 to 10" in error


def test_mistake_in_a_guide_is_reported_once_not_again_where_it_is_used(project_dir: Path) -> None:
    replace_in(
        project_dir / "content/guides/compassionate-leadership.md", "order: 3", "order: three"
    )
    [error] = load_errors(project_dir)
    assert "compassionate-leadership.md" in error


def test_yaml_syntax_error_line_counts_the_front_matter_fence(project_dir: Path) -> None:
    guide = project_dir / "content/guides/compassionate-leadership.md"
    replace_in(guide, "order: 3\n", "order: 3\nsubtitle: [unclosed\n")
    [error] = load_errors(project_dir)
    assert error.startswith("content/guides/compassionate-leadership.md, line ")
    reported = int(error.split("line ")[1].split(":")[0])
    # The parser notices the problem at or just after the bad line, never before it.
    assert line_of(guide, "[unclosed") <= reported <= line_of(guide, "[unclosed") + 2


def test_unknown_field_suggests_the_right_name(project_dir: Path) -> None:
    spec = project_dir / "content/handouts/compassionate-leadership.yaml"
    replace_in(spec, "subtitle:", "subtitel:")
    [error] = load_errors(project_dir)
    assert f"line {line_of(spec, 'subtitel')}" in error
    assert "unknown field 'subtitel'" in error and "did you mean 'subtitle'?" in error


def test_yaml_aliases_are_refused(project_dir: Path) -> None:
    spec = project_dir / "content/handouts/compassionate-leadership.yaml"
    spec.write_text("title: &t Hello\nsubtitle: *t\nstories: [touch]\n")
    [error] = load_errors(project_dir)
    assert "line 2" in error and "aliases" in error


def test_yaml_read_by_libyaml_refuses_an_alias_and_keeps_its_asterisks() -> None:
    # libyaml reads text with Markdown emphasis too (an asterisk is not an alias); an
    # alias among them is still refused, at its line, and a bomb is never expanded.
    from dnaoc_print.content.yaml_source import parse_yaml
    from dnaoc_print.errors import ContentError

    where = Path("content/handouts/x.yaml")
    data = parse_yaml('title: "What *matters* to you?"\nquestions:\n  - "**Why** now?"\n', where)
    assert data == {"title": "What *matters* to you?", "questions": ["**Why** now?"]}
    assert data.key_lines["questions"] == 2 and data["questions"].item_lines == [3]
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\nnote: '*emphasis*'\n"
    # Unquoted emphasis is an alias to YAML (or no value at all): said in YAML's terms.
    refused = {
        "title: '*Hello*'\nt: &t Hi\nsubtitle: *t\n": "line 3: YAML error: YAML aliases",
        bomb: "line 2: YAML error: YAML aliases",
        "questions:\n  - *Why not* ask?\n": "line 2: YAML error: YAML aliases",
        "questions:\n  - *Why* now?\n": "line 2: YAML error: expected alphabetic or numeric "
        "character, but found '*'",
    }
    for text, message in refused.items():
        try:
            parse_yaml(text, where)
        except ContentError as error:
            assert message in str(error), error
        else:
            raise AssertionError(f"read: {text!r}")


def test_file_that_is_not_utf8_is_named(project_dir: Path) -> None:
    spec = project_dir / "content/handouts/compassionate-leadership.yaml"
    spec.write_bytes(b"title: caf\xe9\nstories: [touch]\n")
    [error] = load_errors(project_dir)
    assert "compassionate-leadership.yaml, line 1: file is not UTF-8 text" in error
