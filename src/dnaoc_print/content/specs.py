"""Handout specs: from a YAML file, from command-line flags, or from rows of a CSV file.

All three become the same ``LineDict`` (flags and CSV cells laid over a spec by
spec_overrides.py) and are validated by one reader, ``HandoutReader``, so a bad
value gets the same clear error wherever it was written: a spec's line, or the
CSV row (its line in the file) that set it (spec_checks.py says where). Also
here: a handout's story links with campaign parameters, and a safe file name.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path

from dnaoc_print.content.fields import Fields
from dnaoc_print.content.links import checked_link_params, with_link_params
from dnaoc_print.content.spec_checks import (
    QUESTION_LIMITS,
    STORY_LIMITS,
    RowPlace,
    check_count,
    no_title,
)
from dnaoc_print.content.yaml_source import LineDict, parse_yaml, read_text
from dnaoc_print.errors import ContentError, did_you_mean
from dnaoc_print.model import (
    HANDOUT_LAYOUTS,
    HANDOUT_PAPERS,
    ORIENTATIONS,
    Guide,
    Handout,
    Project,
    Question,
    Session,
    Story,
)

QUESTION_REFERENCE = re.compile(r"^(?P<guide>[a-z0-9]+(?:-[a-z0-9]+)*):(?P<number>\d+)$")
NOTES_STYLES = ("none", "lines", "box")
SESSION_FIELDS = ("date", "time", "venue", "facilitator", "contact")
HANDOUT_FIELDS = (
    "title", "subtitle", "session", "stories", "questions", "notes", "content_warning",
    "paper", "orientation", "layout", "link_params", "brand",
)  # fmt: skip
# Letters that Unicode does not decompose into a plain letter and an accent.
WHOLE_LETTERS = str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th"}
)


def safe_name(value: str, fallback: str) -> str:
    """A file name made only of lower-case letters, digits and hyphens.

    Accented letters lose their accents ("Café" gives ``cafe``); slashes, dots and
    anything else become hyphens, so a name can never climb out of the output folder
    or hide as a dotfile.
    """
    plain = unicodedata.normalize("NFKD", value.lower().translate(WHOLE_LETTERS))
    plain = plain.encode("ascii", "ignore").decode("ascii")
    name = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
    return name[:80].strip("-") or fallback


def spec_line(root: Path, spec: Path, key: str) -> int | None:
    """The line of ``key`` in a spec that was read before, to blame a problem found
    later (a brand it names that does not exist) on that line."""
    return spec_lines(root, spec, [key]).get(key)


def spec_lines(root: Path, spec: Path, keys: Iterable[str]) -> dict[str, int]:
    """The line of each of ``keys`` that a spec read before sets (one it leaves out
    has none)."""
    try:
        data = parse_yaml(read_text(root / spec, spec), spec)
    except ContentError:
        return {}
    if not isinstance(data, LineDict):
        return {}
    return {key: data.line_of(key) for key in keys if key in data}


class HandoutReader:
    """Validates handout specs against the project's stories and guides."""

    def __init__(
        self,
        stories: dict[str, Story],
        guides: list[Guide] | tuple[Guide, ...],
        errors: list[ContentError],
        broken: set[str] | None = None,
        *,
        questions: Mapping[str, tuple[Question, ...]] | None = None,
        broken_guides: set[str] | None = None,
        root: Path | None = None,
    ) -> None:
        """``broken`` holds story ids (and, unless ``broken_guides`` is given, guide
        slugs) that cannot be used because their own file has problems: a reference
        to one is not reported again. ``questions`` holds each guide's numbered
        questions (by default those of ``guides``). With the project's ``root``, a
        brand a spec names is checked too, and blamed on the line, cell or flag that
        named it."""
        self.root = root
        self.stories = stories
        self.guides = {guide.slug: guide for guide in guides}
        self.errors = errors
        self.broken = broken if broken is not None else set()
        self.broken_guides = broken_guides if broken_guides is not None else self.broken
        self.question_lists = (
            dict(questions)
            if questions is not None
            else {guide.slug: guide.questions for guide in guides}
        )

    @classmethod
    def for_project(
        cls, project: Project, errors: list[ContentError], check_brands: bool = False
    ) -> HandoutReader:
        """The reader for a project loaded with ``partial=True``: a story or guide whose
        own file is broken is not reported again as unknown (its own error says why).
        With ``check_brands``, a brand a spec names must be one of the project's (the
        composer checks its brand field itself)."""
        return cls(
            project.stories,
            project.guides,
            errors,
            set(project.broken_stories),
            questions=project.questions,
            broken_guides=set(project.broken_questions),
            root=project.root if check_brands else None,
        )

    def read_file(self, path: Path, shown: Path) -> LineDict:
        data = parse_yaml(read_text(path, shown), shown)
        if data is None:
            data = LineDict.empty()
        if not isinstance(data, LineDict):
            raise ContentError(
                "a handout spec must be a group of 'name: value' lines", path=shown, line=1
            )
        return data

    def handout(
        self, data: LineDict, name: str, source: Path, row: RowPlace | None = None
    ) -> Handout | None:
        """The handout ``data`` describes, or ``None``; problems go to ``errors``.
        ``row`` is the CSV row it comes from, if it does."""
        fields = Fields(data, source, self.errors)
        fields.check_keys(HANDOUT_FIELDS)
        title = fields.text("title")
        # A title of the wrong kind has its error already; a blank one counts as none,
        # so the handout takes its default title (or says it needs one).
        given = data.get("title")
        title_given = given is not None and not (isinstance(given, str) and not given.strip())
        layout = fields.choice("layout", HANDOUT_LAYOUTS, default="cards")
        stories = fields.story_refs("stories", self.stories, self.broken, required=False)
        questions = self.questions(fields)
        _check_counts(fields, data, stories, questions, layout, row)
        link_params = checked_link_params(fields, stories, layout)
        warning = fields.switch_or_text("content_warning")
        if warning is None:
            # Not said either way: the standard warning if a story shown has a content
            # note, the safer default for a room of staff (the composer's too).
            warning = any(story.content_note for story in stories)
        if not title and not title_given:
            title = self.default_title(stories, questions)
            if not title:
                no_title(self.errors, fields, row)
        if not title:
            return None
        return Handout(
            name=name,
            source=source,
            title=title,
            subtitle=fields.text("subtitle"),
            stories=tuple(
                dataclasses.replace(story, url=with_link_params(story.url, link_params))
                for story in stories
            ),
            questions=tuple(questions),
            session=self.session(fields.mapping("session")),
            notes=fields.choice("notes", NOTES_STYLES, default="lines"),
            # True: the project's standard warning (content/shared/wording.yaml).
            content_warning=warning or None,
            paper=fields.choice("paper", HANDOUT_PAPERS, default="a4"),
            orientation=fields.choice("orientation", ORIENTATIONS, default="portrait"),
            layout=layout,
            brand=self.brand(fields),
        )

    def brand(self, fields: Fields) -> str | None:
        """The brand the spec names, if the project has it (when the reader knows the
        project); an unknown one is blamed where it was written."""
        name = fields.text("brand")
        if name and self.root is not None:
            from dnaoc_print.content.brand_folders import brand_problem

            if problem := brand_problem(self.root, name):
                fields.fail("brand", problem.message, problem.hint)
        return name

    def default_title(self, stories: list[Story], questions: list[Question]) -> str | None:
        """A title when none is given: the story's, if there is one story; else the
        title of the guide the questions come from, or of a guide showing every story."""
        if len(stories) == 1:
            return stories[0].title
        for question in questions:
            if question.guide in self.guides:
                return self.guides[question.guide].title
        ids = {story.id for story in stories}
        for guide in self.guides.values():
            if ids and ids <= {story.id for story in guide.stories}:
                return guide.title
        return None

    def questions(self, fields: Fields) -> list[Question]:
        """Questions written out, or borrowed from a guide as ``guide-slug:number``."""
        questions = []
        for text, line in fields.text_list("questions"):
            reference = QUESTION_REFERENCE.match(text)
            if not reference:
                questions.append(Question(text=text))
                continue
            slug, number = reference["guide"], int(reference["number"])
            listed = self.question_lists.get(slug)
            if slug in self.broken_guides:
                continue
            if listed is None:
                known = self.question_lists
                hint = did_you_mean(slug, known) or f"guides: {', '.join(known)}"
                fields.fail(
                    "questions", f"unknown guide '{slug}' in question '{text}'", hint, line=line
                )
            elif not 1 <= number <= len(listed):
                fields.fail(
                    "questions",
                    f"guide '{slug}' has no question {number}",
                    f"it has questions 1 to {len(listed)}; "
                    f"see them with: dnaoc-print list questions {slug}",
                    line=line,
                )
            else:
                questions.append(listed[number - 1])
        return questions

    @staticmethod
    def session(fields: Fields | None) -> Session:
        if fields is None:
            return Session()
        fields.check_keys(SESSION_FIELDS)
        return Session(
            date=fields.date("date"),
            time=fields.text("time"),
            venue=fields.text("venue"),
            facilitator=fields.text("facilitator"),
            contact=fields.text("contact"),
        )


def _check_counts(
    fields: Fields,
    data: LineDict,
    stories: list,
    questions: list,
    layout: str,
    row: RowPlace | None,
) -> None:
    """Enough stories and questions for the layout, and not too many."""
    # Count what was listed, found or not: an unknown id already has its own error.
    for key, found, limits in (
        ("stories", stories, STORY_LIMITS),
        ("questions", questions, QUESTION_LIMITS),
    ):
        listed = data.get(key)
        count = len(listed) if isinstance(listed, list) else len(found)
        check_count(fields, key, count, limits[layout], layout, row)
