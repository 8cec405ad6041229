"""Load and validate ``content/`` into the model.

Every problem in every file is collected before anything is raised, so a user
fixes them all in one pass (MkDocs validates its whole config the same way).

Problems are kept per file: a broken file stops only what depends on it. With
``load_project(root, partial=True)`` the project holds everything that loaded and
names, in ``Project.broken``, each guide or handout that cannot be made and the
problems (file, line) that stop it: its own file's, or those of a story it shows,
a guide whose questions it borrows, or a shared section.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from dnaoc_print.errors import ContentError, ContentErrors, shown_path
from dnaoc_print.fields import Fields
from dnaoc_print.handout_specs import QUESTION_REFERENCE, HandoutReader, safe_name
from dnaoc_print.model import Broken, Guide, Handout, Project, Question, Story
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
        # reported again, so one mistake gives one message. Each holds the problems
        # that an output using it fails with.
        self.broken_stories: dict[str, list[ContentError]] = {}
        self.broken_questions: dict[str, list[ContentError]] = {}
        # When the catalogue itself cannot be read, every story is unusable.
        self.catalogue_errors: list[ContentError] = []
        self.shared_errors: list[ContentError] = []
        self.broken_outputs: list[Broken] = []
        self.questions: dict[str, tuple[Question, ...]] = {}

    def since(self, start: int) -> list[ContentError]:
        return self.errors[start:]

    def story_problems(self, story_ids: list[str]) -> list[ContentError]:
        """The problems of the stories named here that cannot be used."""
        if self.catalogue_errors:
            return list(self.catalogue_errors) if story_ids else []
        problems = []
        for story_id in dict.fromkeys(story_ids):
            problems += self.broken_stories.get(story_id, [])
        return problems

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
            self.catalogue_errors = self.errors[-1:]
            return {}
        start = len(self.errors)
        data = self.guarded(lambda: parse_yaml(read_text(path, shown), shown))
        if data is not None and not isinstance(data, LineList):
            self.errors.append(
                ContentError(
                    "the story catalogue must be a list of stories ('- id: ...')",
                    path=shown,
                    line=1,
                )
            )
        if self.since(start):
            self.catalogue_errors = self.since(start)
            return {}
        if data is None:
            return {}
        stories: dict[str, Story] = {}
        for index, entry in enumerate(data):
            start = len(self.errors)
            if not isinstance(entry, LineDict):
                self.errors.append(
                    ContentError(
                        f"story {index + 1} must be a group of 'name: value' lines",
                        path=shown,
                        line=data.line_of(index),
                    )
                )
                continue
            story = self.story(entry, shown)
            if story and story.id in stories:
                self.errors.append(
                    ContentError(
                        f"story id '{story.id}' is used twice",
                        path=shown,
                        line=entry.line_of("id"),
                        hint="give every story its own id",
                    )
                )
                self.broken_stories.setdefault(story.id, [])
            story_id = entry.get("id")
            if self.since(start) and isinstance(story_id, str):
                # Any problem in a story's entry makes the story unusable.
                self.broken_stories.setdefault(story_id.strip(), []).extend(self.since(start))
            elif story:
                stories[story.id] = story
        for story_id in self.broken_stories:
            stories.pop(story_id, None)
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
            start = len(self.errors)
            if not path.is_file():
                self.errors.append(
                    ContentError(
                        "a section shared by every guide is missing",
                        path=shown,
                        hint=f"write content/shared/{name}.md",
                    )
                )
                text = None
            else:
                text = self.guarded(lambda path=path, shown=shown: read_text(path, shown))
            if text is not None:
                shared[name] = text
            self.shared_errors += self.since(start)
        return shared

    # -- guides ---------------------------------------------------------------

    def load_guides(self, stories: dict[str, Story]) -> list[Guide]:
        guides = []
        for path in sorted((self.content / "guides").glob("*.md")):
            start = len(self.errors)
            self._uses: list[str] = []
            guide = self.guarded(lambda path=path: self.guide(path, stories))
            own = self.since(start)
            problems = own + self.story_problems(self._uses) + self.shared_errors
            if guide and not problems:
                guides.append(guide)
                continue
            title, order = (guide.title, guide.order) if guide else series_fields(path)
            self.broken_outputs.append(
                Broken("guide", path.stem, self.display(path), tuple(problems), title, order)
            )
            if path.stem not in self.questions:
                self.broken_questions[path.stem] = own or problems
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
        self._uses = _names(front.get("stories"))
        guide_stories = fields.story_refs("stories", stories, self._unusable_stories())
        start = len(self.errors)
        questions = [
            Question(text=text, guide=slug, number=number)
            for number, (text, _) in enumerate(fields.text_list("questions", required=True), 1)
        ]
        if not self.since(start):
            # Sound on their own: handouts may borrow them, whatever else is wrong here.
            self.questions[slug] = tuple(questions)
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
        reader = HandoutReader(
            stories,
            guides,
            self.errors,
            self._unusable_stories(),
            questions=self.questions,
            broken_guides=set(self.broken_questions),
        )
        handouts = []
        for path in sorted((self.content / "handouts").glob("*.yaml")):
            shown = self.display(path)
            start = len(self.errors)
            handout = data = None
            if not SLUG.match(path.stem):
                self.errors.append(
                    ContentError(
                        f"handout file name '{path.name}' is not a slug",
                        path=shown,
                        hint="name it like 'team-meeting.yaml'",
                    )
                )
            else:
                data = self.guarded(lambda path=path, shown=shown: reader.read_file(path, shown))
                if data is not None:
                    handout = reader.handout(data, path.stem, shown)
            problems = self.since(start)
            if not problems and data is not None:
                problems = self.dependency_problems(data)
            if handout and not problems:
                handouts.append(handout)
            else:
                name = path.stem if SLUG.match(path.stem) else safe_name(path.stem, "handout")
                self.broken_outputs.append(Broken("handout", name, shown, tuple(problems)))
        return handouts

    def dependency_problems(self, data: LineDict) -> list[ContentError]:
        """Problems of the stories a spec shows and the guides whose questions it borrows."""
        problems = self.story_problems(_names(data.get("stories")))
        for text in _names(data.get("questions")):
            if reference := QUESTION_REFERENCE.match(text):
                problems += self.broken_questions.get(reference["guide"], [])
        return list(dict.fromkeys(problems))

    def _unusable_stories(self):
        """Story ids whose unknown-ness is not news: broken ones, or all of them when
        the catalogue itself cannot be read."""
        return _Everything() if self.catalogue_errors else set(self.broken_stories)


class _Everything:
    def __contains__(self, item: object) -> bool:
        return True


def _names(value: object) -> list[str]:
    """The text items of a list field, unchecked (the reader checks them)."""
    if not isinstance(value, list):
        return []
    return [item.strip() for item in value if isinstance(item, str)]


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


def find_project(start: Path) -> Path | None:
    """The project folder holding ``start``: the nearest folder, ``start`` or above it,
    with both ``content/`` and ``layouts/`` (as git finds ``.git``); ``None`` if none."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / "content").is_dir() and (folder / "layouts").is_dir():
            return folder
    return None


def load_project(root: Path, *, partial: bool = False) -> Project:
    """Load every content file under ``root``.

    By default any problem raises ContentErrors listing every problem found. With
    ``partial=True`` problems are raised only when there is no project at all;
    otherwise the Project holds everything that loaded, and ``Project.broken`` each
    guide or handout that cannot be made, with the problems that stop it (see
    ``Project``). Either way each problem names its file and line.
    """
    root = root.resolve()
    loader = _Loader(root)
    if not loader.content.is_dir():
        raise ContentErrors(
            [
                ContentError(
                    "no content folder here",
                    path=loader.content,
                    hint="run dnaoc-print in a project folder (one holding content/ and "
                    "layouts/), or name one with -C PROJECT",
                )
            ]
        )
    stories = loader.load_stories()
    shared = loader.load_shared()
    words = load_wording(root, loader.display(root / WORDING_PATH), loader.errors)
    guides = loader.load_guides(stories)
    handouts = loader.load_handouts(stories, guides)
    if loader.errors and not partial:
        raise ContentErrors(loader.errors)
    return Project(
        root=root,
        stories=stories,
        guides=tuple(guides),
        handouts=tuple(handouts),
        shared=shared,
        broken=tuple(loader.broken_outputs),
        problems=tuple(loader.errors),
        broken_stories={
            key: tuple(value or loader.catalogue_errors)
            for key, value in loader.broken_stories.items()
        },
        broken_questions={key: tuple(value) for key, value in loader.broken_questions.items()},
        questions=dict(loader.questions),
        words=words,
    )
