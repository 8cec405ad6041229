"""Load and validate ``content/`` into the model.

Every problem in every file is collected before anything is raised, so a user
fixes them all in one pass (MkDocs validates its whole config the same way).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dnaoc_print.errors import ContentError, ContentErrors, shown_path
from dnaoc_print.fields import Fields
from dnaoc_print.handout_specs import HandoutReader
from dnaoc_print.model import Guide, Handout, Project, Question, Story
from dnaoc_print.wording import WORDING_PATH, load_wording
from dnaoc_print.yaml_source import LineDict, LineList, parse_yaml, read_text

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SHARED_SECTIONS = (
    "story-notice",
    "about-the-series",
    "power-of-stories",
    "advice-for-facilitators",
    "back-page",
)
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


class _Loader:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.content = root / "content"
        self.errors: list[ContentError] = []
        # Stories and guides whose own file has errors: references to them are not
        # reported again, so one mistake gives one message.
        self.broken: set[str] = set()

    def display(self, path: Path) -> Path:
        return shown_path(path, self.root)

    def guarded(self, load: Callable[[], Any]) -> Any:
        """Run one file's loader; a fatal problem in that file is recorded, not raised."""
        try:
            return load()
        except ContentError as error:
            self.errors.append(error)
            return None

    # -- stories --------------------------------------------------------------

    def load_stories(self) -> dict[str, Story]:
        path = self.content / "stories.yaml"
        shown = self.display(path)
        if not path.is_file():
            self.errors.append(
                ContentError(
                    "the story catalogue is missing",
                    path=shown,
                    hint="every project needs content/stories.yaml",
                )
            )
            return {}
        data = self.guarded(lambda: parse_yaml(read_text(path, shown), shown))
        if data is None:
            return {}
        if not isinstance(data, LineList):
            self.errors.append(
                ContentError(
                    "the story catalogue must be a list of stories ('- id: ...')",
                    path=shown,
                    line=1,
                )
            )
            return {}
        stories: dict[str, Story] = {}
        for index, entry in enumerate(data):
            if not isinstance(entry, LineDict):
                self.errors.append(
                    ContentError(
                        f"story {index + 1} must be a group of 'name: value' lines",
                        path=shown,
                        line=data.line_of(index),
                    )
                )
                continue
            if story := self.story(entry, shown):
                if story.id in stories:
                    self.errors.append(
                        ContentError(
                            f"story id '{story.id}' is used twice",
                            path=shown,
                            line=entry.line_of("id"),
                            hint="give every story its own id",
                        )
                    )
                stories[story.id] = story
        return stories

    def story(self, entry: LineDict, path: Path) -> Story | None:
        fields = Fields(entry, path, self.errors)
        fields.check_keys(
            [
                "id",
                "title",
                "url",
                "storyteller",
                "summary",
                "short_summary",
                "themes",
                "content_note",
            ]
        )
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
            if story_id:
                self.broken.add(story_id)
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

    # -- shared sections ------------------------------------------------------

    def load_shared(self) -> dict[str, str]:
        shared = {}
        for name in SHARED_SECTIONS:
            path = self.content / "shared" / f"{name}.md"
            shown = self.display(path)
            if not path.is_file():
                self.errors.append(
                    ContentError(
                        "a section shared by every guide is missing",
                        path=shown,
                        hint=f"write content/shared/{name}.md",
                    )
                )
                continue
            text = self.guarded(lambda path=path, shown=shown: read_text(path, shown))
            if text is not None:
                shared[name] = text
        return shared

    # -- guides ---------------------------------------------------------------

    def load_guides(self, stories: dict[str, Story]) -> list[Guide]:
        guides = []
        for path in sorted((self.content / "guides").glob("*.md")):
            if guide := self.guarded(lambda path=path: self.guide(path, stories)):
                guides.append(guide)
            else:
                self.broken.add(path.stem)
        guides.sort(key=lambda guide: (guide.order, guide.title))
        return guides

    def guide(self, path: Path, stories: dict[str, Story]) -> Guide | None:
        shown = self.display(path)
        slug = path.stem
        if not SLUG.match(slug):
            raise ContentError(
                f"guide file name '{path.name}' is not a slug",
                path=shown,
                hint="name it like 'improvement-and-change.md'",
            )
        front, body = split_front_matter(read_text(path, shown), shown)
        fields = Fields(front, shown, self.errors)
        fields.check_keys(GUIDE_FIELDS)
        title = fields.text("title", required=True)
        order = fields.integer("order", required=True)
        guide_stories = fields.story_refs("stories", stories, self.broken)
        questions = [
            Question(text=text, guide=slug, number=number)
            for number, (text, _) in enumerate(fields.text_list("questions", required=True), 1)
        ]
        if not title or order is None:
            return None
        return Guide(
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

    # -- handouts -------------------------------------------------------------

    def load_handouts(self, stories: dict[str, Story], guides: list[Guide]) -> list[Handout]:
        reader = HandoutReader(stories, guides, self.errors, self.broken)
        handouts = []
        for path in sorted((self.content / "handouts").glob("*.yaml")):
            shown = self.display(path)
            if not SLUG.match(path.stem):
                self.errors.append(
                    ContentError(
                        f"handout file name '{path.name}' is not a slug",
                        path=shown,
                        hint="name it like 'team-meeting.yaml'",
                    )
                )
                continue
            data = self.guarded(lambda path=path, shown=shown: reader.read_file(path, shown))
            if data is not None and (handout := reader.handout(data, path.stem, shown)):
                handouts.append(handout)
        return handouts


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


def load_project(root: Path) -> Project:
    """Load every content file under ``root``; raise ContentErrors listing all problems."""
    root = root.resolve()
    loader = _Loader(root)
    if not loader.content.is_dir():
        raise ContentErrors(
            [
                ContentError(
                    "no content folder here",
                    path=loader.content,
                    hint="run dnaoc-print in a project folder (one holding content/ and layouts/)",
                )
            ]
        )
    stories = loader.load_stories()
    shared = loader.load_shared()
    words = load_wording(root, loader.display(root / WORDING_PATH), loader.errors)
    guides = loader.load_guides(stories)
    handouts = loader.load_handouts(stories, guides)
    if loader.errors:
        raise ContentErrors(loader.errors)
    return Project(
        root=root,
        stories=stories,
        guides=tuple(guides),
        handouts=tuple(handouts),
        shared=shared,
        words=words,
    )
