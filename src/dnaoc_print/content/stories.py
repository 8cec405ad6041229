"""Read and validate the story catalogue, ``content/stories.yaml``, into stories.

Every entry is checked and every problem recorded. A story whose entry has a
problem cannot be used: it is left out of the stories and kept, with its problems,
in ``Catalogue.broken``, so an output that shows it fails naming them. When the
catalogue itself cannot be read (missing, not YAML, not a list), no story can be
used, and ``Catalogue.errors`` says why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from dnaoc_print.content.fields import SLUG, Fields
from dnaoc_print.content.yaml_source import LineDict, LineList, parse_yaml, read_text
from dnaoc_print.errors import ContentError
from dnaoc_print.model import Story

STORY_FIELDS = (
    "id",
    "title",
    "url",
    "storyteller",
    "summary",
    "short_summary",
    "themes",
    "content_note",
)


@dataclass
class Catalogue:
    """The stories that can be used, and the problems of those that cannot."""

    stories: dict[str, Story] = field(default_factory=dict)
    # Story ids whose entry has problems: each holds those an output using it fails with.
    broken: dict[str, list[ContentError]] = field(default_factory=dict)
    # Why the catalogue itself cannot be read, if it cannot: then every story is unusable.
    errors: list[ContentError] = field(default_factory=list)


def load_catalogue(path: Path, shown: Path, errors: list[ContentError]) -> Catalogue:
    """The catalogue at ``path`` (named ``shown`` in messages); problems go to ``errors``."""
    catalogue = Catalogue()
    if not path.is_file():
        errors.append(
            ContentError(
                "the story catalogue is missing",
                path=shown,
                hint="every project needs content/stories.yaml",
            )
        )
        catalogue.errors = errors[-1:]
        return catalogue
    start = len(errors)
    try:
        data = parse_yaml(read_text(path, shown), shown)
    except ContentError as error:
        errors.append(error)
        data = None
    if data is not None and not isinstance(data, LineList):
        errors.append(
            ContentError(
                "the story catalogue must be a list of stories ('- id: ...')",
                path=shown,
                line=1,
            )
        )
    if errors[start:]:
        catalogue.errors = errors[start:]
        return catalogue
    if data is None:
        return catalogue
    stories: dict[str, Story] = {}
    for index, entry in enumerate(data):
        start = len(errors)
        if not isinstance(entry, LineDict):
            errors.append(
                ContentError(
                    f"story {index + 1} must be a group of 'name: value' lines",
                    path=shown,
                    line=data.line_of(index),
                )
            )
            continue
        story = read_story(entry, shown, errors)
        if story and story.id in stories:
            errors.append(
                ContentError(
                    f"story id '{story.id}' is used twice",
                    path=shown,
                    line=entry.line_of("id"),
                    hint="give every story its own id",
                )
            )
            catalogue.broken.setdefault(story.id, [])
        story_id = entry.get("id")
        if errors[start:] and isinstance(story_id, str):
            # Any problem in a story's entry makes the story unusable.
            catalogue.broken.setdefault(story_id.strip(), []).extend(errors[start:])
        elif story:
            stories[story.id] = story
    for story_id in catalogue.broken:
        stories.pop(story_id, None)
    catalogue.stories = stories
    return catalogue


def read_story(entry: LineDict, path: Path, errors: list[ContentError]) -> Story | None:
    """One catalogue entry as a Story; ``None`` when a field it needs is missing."""
    fields = Fields(entry, path, errors)
    fields.check_keys(STORY_FIELDS)
    story_id = fields.text("id", required=True)
    title = fields.text("title", required=True)
    url = fields.text("url", required=True)
    summary = fields.text("summary", required=True)
    themes = [theme for theme, _ in fields.text_list("themes")]
    if story_id and not SLUG.match(story_id):
        fields.fail(
            "id",
            f"story id '{story_id}' is not a slug",
            "use lower-case letters, digits and hyphens, e.g. 'just-five-minutes-more'",
        )
    if url and not re.match(r"^https?://[^\s/]+\.[^\s/]+/\S*$", url):
        fields.fail(
            "url",
            f"story url '{url}' is not a web address",
            "copy the story's address from the Patient Voices site",
        )
    if not (story_id and title and url and summary):
        return None
    return Story(
        id=story_id,
        title=title,
        url=url,
        summary=summary,
        short_summary=fields.text("short_summary"),
        storyteller=fields.text("storyteller"),
        themes=tuple(themes),
        content_note=fields.text("content_note"),
    )
