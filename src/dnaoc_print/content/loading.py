"""Load and validate ``content/`` into the model.

Every problem in every file is collected before anything is raised, so a user
fixes them all in one pass (MkDocs validates its whole config the same way).

Problems are kept per file: a broken file stops only what depends on it. With
``load_project(root, partial=True)`` the project holds everything that loaded and
names, in ``Project.broken``, each guide or handout that cannot be made and the
problems (file, line) that stop it: its own file's, or those of a story it shows,
a guide whose questions it borrows, or a shared section.

Each kind of file has its own reader (``story_catalogue``, ``guide_files``, and
``handout_specs``' HandoutReader); this module reads them in the order they depend
on one another and keeps what loaded, what is broken, and what each problem stops.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from dnaoc_print.content.fields import SLUG, list_texts
from dnaoc_print.content.guides import read_guide, series_fields
from dnaoc_print.content.specs import QUESTION_REFERENCE, HandoutReader, safe_name
from dnaoc_print.content.stories import load_catalogue
from dnaoc_print.content.wording import WORDING_PATH, load_wording
from dnaoc_print.content.yaml_source import LineDict, read_text
from dnaoc_print.errors import ContentError, ContentErrors, shown_path
from dnaoc_print.model import Broken, Guide, Handout, Project, Question, Story

SHARED_SECTIONS = (
    "story-notice",
    "about-the-series",
    "power-of-stories",
    "advice-for-facilitators",
    "back-page",
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
        catalogue = load_catalogue(path, self.display(path), self.errors)
        self.broken_stories = catalogue.broken
        self.catalogue_errors = catalogue.errors
        return catalogue.stories

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
            read = self.guarded(
                lambda path=path: read_guide(
                    path, self.display(path), stories, self._unusable_stories(), self.errors
                )
            )
            guide, uses = (read.guide, read.uses) if read else (None, [])
            if read and read.questions is not None:
                # Sound on their own: handouts may borrow them, whatever else is wrong here.
                self.questions[path.stem] = read.questions
            own = self.since(start)
            problems = own + self.story_problems(uses) + self.shared_errors
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
        problems = self.story_problems(list_texts(data.get("stories")))
        for text in list_texts(data.get("questions")):
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
