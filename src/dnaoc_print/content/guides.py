"""Read one guide file, ``content/guides/<slug>.md``, into a Guide.

A guide file is YAML front matter between ``---`` lines, then the Markdown of its
theme. Every problem in its fields is recorded; one that leaves nothing to read (a
file name that is not a slug, front matter never closed) is raised. Lines in the
front matter count from the top of the file, so every error names its line.

When a guide cannot be made, its title and order are still read, line by line
(``series_fields``), so that the series list every guide prints can name it.
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass
from pathlib import Path

import yaml

from dnaoc_print.content.fields import SLUG, Fields, list_texts
from dnaoc_print.content.yaml_source import LineDict, parse_yaml, read_text
from dnaoc_print.errors import ContentError
from dnaoc_print.model import Guide, Question, Story

QUESTION_NOTES_STYLES = ("none", "lines")
GUIDE_FIELDS = (
    "title",
    "subtitle",
    "order",
    "summary",
    "keywords",
    "stories",
    "questions",
    "references",
    "question_notes",
    "updated",
)


@dataclass
class GuideFile:
    """What one guide file gives, whether or not the guide can be made."""

    # ``None`` when a field the guide needs is missing or wrong.
    guide: Guide | None
    # The story ids its front matter names: the problems of a broken one stop it.
    uses: list[str]
    # Its questions when they are sound on their own (``None`` if not): handouts may
    # borrow them, whatever else is wrong in the file.
    questions: tuple[Question, ...] | None


def read_guide(
    path: Path,
    shown: Path,
    stories: dict[str, Story],
    unusable_stories: Container[str],
    errors: list[ContentError],
) -> GuideFile:
    """The guide file at ``path`` (named ``shown`` in messages); problems go to ``errors``.

    ``unusable_stories`` are the story ids whose unknown-ness is not news (their own
    entry, or the whole catalogue, is broken), so naming one is not reported again.
    """
    slug = path.stem
    if not SLUG.match(slug):
        raise ContentError(
            f"guide file name '{path.name}' is not a slug",
            path=shown,
            hint="name it like 'improvement-and-change.md'",
        )
    front, body = split_front_matter(read_text(path, shown), shown)
    fields = Fields(front, shown, errors)
    fields.check_keys(GUIDE_FIELDS)
    title = fields.text("title", required=True)
    order = fields.integer("order", required=True)
    uses = list_texts(front.get("stories"))
    guide_stories = fields.story_refs("stories", stories, unusable_stories)
    start = len(errors)
    questions = [
        Question(text=text, guide=slug, number=number)
        for number, (text, _) in enumerate(fields.text_list("questions", required=True), 1)
    ]
    sound = None if errors[start:] else tuple(questions)
    if not title or order is None:
        return GuideFile(None, uses, sound)
    guide = Guide(
        slug=slug,
        title=title,
        order=order,
        source=shown,
        body=body,
        stories=tuple(guide_stories),
        questions=tuple(questions),
        subtitle=fields.text("subtitle"),
        summary=fields.text("summary"),
        keywords=tuple(keyword for keyword, _ in fields.text_list("keywords")),
        references=tuple(reference for reference, _ in fields.text_list("references")),
        question_notes=fields.choice("question_notes", QUESTION_NOTES_STYLES, "none"),
        updated=fields.date("updated"),
    )
    return GuideFile(guide, uses, sound)


def split_front_matter(text: str, path: Path) -> tuple[LineDict, str]:
    """Split ``---``-fenced YAML front matter from a Markdown body.

    Line numbers in the returned mapping count from the top of the file.
    """
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise ContentError(
            "the file does not start with front matter",
            path=path,
            line=1,
            hint="begin the file with a '---' line, the fields, then '---'",
        )
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            front_text = "".join(lines[1:index])
            body = "".join(lines[index + 1 :])
            break
    else:
        raise ContentError(
            "the front matter is never closed",
            path=path,
            line=1,
            hint="add a '---' line after the last field",
        )
    front = parse_yaml(front_text, path, line_offset=1)
    if front is None:
        front = LineDict.empty()
    if not isinstance(front, LineDict):
        raise ContentError("front matter must be 'name: value' lines", path=path, line=2)
    return front, body


def series_fields(path: Path) -> tuple[str | None, int | None]:
    """A guide's title and order read from their own front-matter lines, each alone,
    so that a broken line elsewhere (a question with an unquoted ': ') does not hide
    them; ``None`` for either that cannot be read."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None, None
    if not lines or lines[0].strip() != "---":
        return None, None
    found: dict[str, object] = {}
    for line in lines[1:]:
        if line.strip() == "---":
            break
        if match := re.match(r"^(title|order):(\s.*)?$", line):
            try:
                found[match[1]] = yaml.safe_load(match[2] or "")
            except yaml.YAMLError:
                found[match[1]] = None
    title, order = found.get("title"), found.get("order")
    title = title.strip() if isinstance(title, str) and title.strip() else None
    order = order if isinstance(order, int) and not isinstance(order, bool) else None
    return title, order
