"""Load and validate ``content/`` into the model.

Every problem in every file is collected before anything is raised, so a user
fixes them all in one pass (MkDocs validates its whole config the same way).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from dnaoc_print.errors import ContentError, ContentErrors, did_you_mean
from dnaoc_print.model import PAPERS, Guide, Handout, Project, Question, Session, Story
from dnaoc_print.yaml_source import LineDict, LineList, parse_yaml, read_text

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
QUESTION_REFERENCE = re.compile(r"^(?P<guide>[a-z0-9]+(?:-[a-z0-9]+)*):(?P<number>\d+)$")
SHARED_SECTIONS = (
    "story-notice",
    "about-the-series",
    "power-of-stories",
    "advice-for-facilitators",
)
NOTES_STYLES = ("none", "lines", "box")
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


class _Fields:
    """Reads typed fields from one YAML mapping, recording problems instead of raising."""

    def __init__(self, data: LineDict, path: Path, errors: list[ContentError], prefix: str = ""):
        self.data = data
        self.path = path
        self.errors = errors
        self.prefix = prefix

    def fail(self, key: str | None, message: str, hint: str | None = None, line: int | None = None):
        if line is None:
            line = self.data.line_of(key) if key else self.data.line
        self.errors.append(ContentError(message, path=self.path, line=line, hint=hint))

    def name(self, key: str) -> str:
        return f"{self.prefix}{key}"

    def check_keys(self, allowed: Iterable[str]) -> None:
        allowed = list(allowed)
        for key in self.data:
            if key not in allowed:
                hint = did_you_mean(key, allowed) or f"known fields: {', '.join(allowed)}"
                self.fail(key, f"unknown field '{self.name(key)}'", hint)

    def text(self, key: str, required: bool = False) -> str | None:
        value = self.data.get(key)
        if value is None or value == "":
            if required:
                self.fail(None, f"missing field '{self.name(key)}'", f"add '{key}: ...'")
            return None
        if isinstance(value, bool | dict | list):
            self.fail(key, f"'{self.name(key)}' must be text")
            return None
        return str(value).strip()

    def integer(self, key: str, required: bool = False) -> int | None:
        value = self.data.get(key)
        if value is None:
            if required:
                self.fail(None, f"missing field '{self.name(key)}'", f"add '{key}: 1'")
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(key, f"'{self.name(key)}' must be a whole number, not {value!r}")
            return None
        return value

    def text_list(self, key: str, required: bool = False) -> list[tuple[str, int]]:
        """A list of text items, each with its line."""
        value = self.data.get(key)
        if value is None:
            if required:
                self.fail(None, f"missing field '{self.name(key)}'", f"add a '{key}:' list")
            return []
        if not isinstance(value, LineList):
            self.fail(key, f"'{self.name(key)}' must be a list (one '- item' per line)")
            return []
        items = []
        for index, item in enumerate(value):
            if isinstance(item, dict | list) or item is None:
                self.fail(
                    key,
                    f"item {index + 1} of '{self.name(key)}' must be text",
                    "text containing ': ' must be put in double quotes"
                    if isinstance(item, dict)
                    else None,
                    line=value.line_of(index),
                )
                continue
            items.append((str(item).strip(), value.line_of(index)))
        if required and not items and not value:
            self.fail(key, f"'{self.name(key)}' is empty", f"list at least one item under '{key}:'")
        return items

    def mapping(self, key: str) -> _Fields | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, LineDict):
            self.fail(key, f"'{self.name(key)}' must be a group of 'name: value' lines")
            return None
        return _Fields(value, self.path, self.errors, prefix=f"{self.name(key)}.")


class _Loader:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.content = root / "content"
        self.errors: list[ContentError] = []
        # Stories and guides whose own file has errors: references to them are not
        # reported again, so one mistake gives one message.
        self.broken: set[str] = set()

    def display(self, path: Path) -> Path:
        try:
            return path.relative_to(self.root)
        except ValueError:
            return path

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
        fields = _Fields(entry, path, self.errors)
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
        url = self.story_url(fields)
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

    def story_url(self, fields: _Fields) -> str | None:
        """A story's address: a plain ``url: ...`` or ``url: {site: ..., page: ...}``."""
        if isinstance(fields.data.get("url"), LineDict):
            parts = fields.mapping("url")
            parts.check_keys(["site", "page"])
            site, page = parts.text("site", required=True), parts.text("page", required=True)
            return f"{site.rstrip('/')}/{page.lstrip('/')}" if site and page else None
        return fields.text("url", required=True)

    def story_refs(self, fields: _Fields, key: str, stories: dict[str, Story]) -> list[Story]:
        found = []
        for story_id, line in fields.text_list(key, required=True):
            if story_id in stories:
                found.append(stories[story_id])
            elif story_id not in self.broken:
                hint = did_you_mean(story_id, stories) or "see content/stories.yaml for the ids"
                fields.fail(key, f"unknown story id '{story_id}'", hint, line=line)
        return found

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
        fields = _Fields(front, shown, self.errors)
        fields.check_keys(GUIDE_FIELDS)
        title = fields.text("title", required=True)
        order = fields.integer("order", required=True)
        guide_stories = self.story_refs(fields, "stories", stories)
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
            question_notes=self.choice(fields, "question_notes", QUESTION_NOTES_STYLES),
            updated=self.date(fields, "updated"),
        )

    # -- handouts -------------------------------------------------------------

    def load_handouts(self, stories: dict[str, Story], guides: list[Guide]) -> list[Handout]:
        handouts = []
        for path in sorted((self.content / "handouts").glob("*.yaml")):
            if handout := self.guarded(lambda path=path: self.handout(path, stories, guides)):
                handouts.append(handout)
        return handouts

    def handout(self, path: Path, stories: dict[str, Story], guides: list[Guide]) -> Handout | None:
        shown = self.display(path)
        name = path.stem
        if not SLUG.match(name):
            raise ContentError(
                f"handout file name '{path.name}' is not a slug",
                path=shown,
                hint="name it like 'team-meeting.yaml'",
            )
        data = parse_yaml(read_text(path, shown), shown)
        if not isinstance(data, LineDict):
            raise ContentError(
                "a handout spec must be a group of 'name: value' lines", path=shown, line=1
            )
        fields = _Fields(data, shown, self.errors)
        fields.check_keys(
            [
                "title",
                "subtitle",
                "session",
                "stories",
                "questions",
                "notes",
                "content_warning",
                "paper",
            ]
        )
        title = fields.text("title", required=True)
        handout_stories = self.story_refs(fields, "stories", stories)
        questions = self.questions(fields, guides)
        session = self.session(fields.mapping("session"))
        notes = self.choice(fields, "notes", NOTES_STYLES, default="lines")
        paper = self.choice(fields, "paper", PAPERS, default="a4", lower=True)
        warning = data.get("content_warning")
        if warning is True:
            content_warning = DEFAULT_CONTENT_WARNING
        elif warning in (None, False):
            content_warning = None
        else:
            content_warning = fields.text("content_warning")
        if not title:
            return None
        return Handout(
            name=name,
            source=shown,
            title=title,
            subtitle=fields.text("subtitle"),
            stories=tuple(handout_stories),
            questions=tuple(questions),
            session=session,
            notes=notes,
            content_warning=content_warning,
            paper=paper,
        )

    def questions(self, fields: _Fields, guides: list[Guide]) -> list[Question]:
        by_slug = {guide.slug: guide for guide in guides}
        questions = []
        for text, line in fields.text_list("questions"):
            reference = QUESTION_REFERENCE.match(text)
            if not reference:
                questions.append(Question(text=text))
                continue
            slug, number = reference["guide"], int(reference["number"])
            guide = by_slug.get(slug)
            if slug in self.broken:
                continue
            if guide is None:
                hint = did_you_mean(slug, by_slug) or f"guides: {', '.join(by_slug)}"
                fields.fail(
                    "questions", f"unknown guide '{slug}' in question '{text}'", hint, line=line
                )
            elif not 1 <= number <= len(guide.questions):
                fields.fail(
                    "questions",
                    f"guide '{slug}' has no question {number}",
                    f"it has questions 1 to {len(guide.questions)}",
                    line=line,
                )
            else:
                questions.append(guide.questions[number - 1])
        return questions

    @staticmethod
    def date(fields: _Fields, key: str) -> str | None:
        """An ISO date (YYYY-MM-DD), checked; ``None`` (with an error) when it is not one."""
        value = fields.text(key)
        if value is None:
            return None
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            fields.fail(
                key,
                f"'{fields.name(key)}' is not a date: '{value}'",
                "write it as YYYY-MM-DD, e.g. 2026-12-01",
            )
            return None
        return value

    @staticmethod
    def choice(
        fields: _Fields,
        key: str,
        choices: tuple[str, ...],
        default: str = "none",
        lower: bool = False,
    ) -> str:
        value = fields.text(key) or default
        if lower:
            value = value.lower()
        if value not in choices:
            fields.fail(
                key, f"{fields.name(key)} must be one of {', '.join(choices)}, not '{value}'"
            )
            return default
        return value

    def session(self, fields: _Fields | None) -> Session:
        if fields is None:
            return Session()
        fields.check_keys(["date", "time", "venue", "facilitator", "contact"])
        return Session(
            date=self.date(fields, "date"),
            time=fields.text("time"),
            venue=fields.text("venue"),
            facilitator=fields.text("facilitator"),
            contact=fields.text("contact"),
        )


DEFAULT_CONTENT_WARNING = (
    "some of these real stories are upsetting. You may step out at any time, and "
    "the facilitator will be around afterwards if you want to talk."
)


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
        front = LineDict()
        front.line, front.key_lines = 1, {}
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
    guides = loader.load_guides(stories)
    handouts = loader.load_handouts(stories, guides)
    if loader.errors:
        raise ContentErrors(loader.errors)
    return Project(
        root=root, stories=stories, guides=tuple(guides), handouts=tuple(handouts), shared=shared
    )
