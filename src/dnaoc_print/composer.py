"""The handout composer's form, as the spec the CLI reads.

The web form is only another way to write a handout spec: a ``Composition`` (what
the form holds) becomes the same plain spec a YAML file holds (``spec``), that spec
becomes the ``LineDict`` the CLI's ``HandoutReader`` validates, and "Save spec"
writes it as YAML. So the form's errors are the CLI's errors, and a saved spec
builds with ``dnaoc-print handout`` into the same PDF.

Each value is read as if written in a file named after its form field (``title``,
``session.venue``), so every error says which field it is about.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from dnaoc_print.brands import DEFAULT_BRAND
from dnaoc_print.errors import ContentError, ContentErrors
from dnaoc_print.fields import FALSE_WORDS, TRUE_WORDS
from dnaoc_print.handout_specs import (
    QUESTION_REFERENCE,
    HandoutReader,
    apply_overrides,
    safe_name,
)
from dnaoc_print.model import Handout, Project, Question
from dnaoc_print.placeholders import MARKER
from dnaoc_print.yaml_source import LineDict, parse_yaml

# Where an error with no field of its own comes from.
FORM = Path("the form")
# A spec uploaded with "Load spec" is at most this big (a spec is a few hundred bytes).
MAX_SPEC_BYTES = 100_000
SESSION_KEYS = ("date", "time", "venue", "facilitator", "contact")
# "noted": the spec says nothing, so the standard warning is printed when a chosen
# story has a content note (the CLI's default too).
WARNING_CHOICES = ("noted", "standard", "none", "own")
# The form's names for the layouts, for its messages.
LAYOUT_LABELS = {
    "cards": "Story cards",
    "single": "One story, large",
    "questions": "Question sheet",
}
COUNT_ERROR = re.compile(
    r"the '(?P<layout>\w+)' layout takes (?P<wanted>.+) "
    r"(?P<key>stories|questions), not (?P<count>\d+)"
)
# A spec's key -> the form field its errors are shown beside.
FIELD_OF_KEY = {
    **{f"session.{key}": key for key in SESSION_KEYS},
    "session": "date",
    "content_warning": "warning",
}
# Form fields whose words are printed as typed, and the field each is shown beside.
PRINTED_FIELDS = {
    **{name: name for name in ("title", "subtitle", *SESSION_KEYS, "link_params")},
    "own_questions": "questions",
    "warning_text": "warning",
}


@dataclass
class Composition:
    """Everything the composer's form holds."""

    guide: str = ""
    title: str = ""
    subtitle: str = ""
    date: str = ""
    time: str = ""
    venue: str = ""
    facilitator: str = ""
    contact: str = ""
    stories: list[str] = field(default_factory=list)
    # Guide questions, as GUIDE:N.
    questions: list[str] = field(default_factory=list)
    # Questions written out, one a line.
    own_questions: str = ""
    warning: str = "noted"
    warning_text: str = ""
    notes: str = "lines"
    layout: str = "cards"
    paper: str = "a4"
    orientation: str = "portrait"
    brand: str = DEFAULT_BRAND
    link_params: str = ""

    @classmethod
    def from_form(cls, form) -> Composition:
        """From submitted form data (anything with ``get`` and ``getlist``)."""

        def text(name: str, default: str = "") -> str:
            return (form.get(name) or default).strip()

        ticked = form.getlist("story")
        order = text("story_order").split()
        stories = [s for s in order if s in ticked] + [s for s in ticked if s not in order]
        return cls(
            guide=text("guide"),
            title=text("title"),
            subtitle=text("subtitle"),
            date=text("date"),
            time=text("time"),
            venue=text("venue"),
            facilitator=text("facilitator"),
            contact=text("contact"),
            stories=list(dict.fromkeys(stories)),
            questions=list(dict.fromkeys(form.getlist("question"))),
            own_questions=(form.get("own_questions") or "").strip(),
            warning=text("warning", "noted"),
            warning_text=text("warning_text"),
            notes=text("notes", "lines"),
            layout=text("layout", "cards"),
            paper=text("paper", "a4"),
            orientation=text("orientation", "portrait"),
            brand=text("brand", DEFAULT_BRAND),
            link_params=text("link_params"),
        )

    @classmethod
    def from_spec(cls, data: Mapping, project: Project | None) -> Composition:
        """From a spec as read from YAML: what the form can show of it."""

        def text(value: object) -> str:
            return "" if value is None or isinstance(value, dict | list) else str(value).strip()

        session = data.get("session") if isinstance(data.get("session"), dict) else {}
        listed = {
            key: [text(item) for item in value] if isinstance(value, list) else []
            for key in ("stories", "questions")
            for value in [data.get(key)]
        }
        references = [q for q in listed["questions"] if QUESTION_REFERENCE.match(q)]
        own = [q for q in listed["questions"] if q and not QUESTION_REFERENCE.match(q)]
        # As the reader takes it: absent is the default ("noted"); yes/no words are switches.
        warning = data.get("content_warning")
        if isinstance(warning, str) and warning.strip().lower() in TRUE_WORDS + FALSE_WORDS:
            warning = warning.strip().lower() in TRUE_WORDS
        composition = cls(
            title=text(data.get("title")),
            subtitle=text(data.get("subtitle")),
            **{key: text(session.get(key)) for key in SESSION_KEYS},
            stories=[s for s in listed["stories"] if s],
            questions=references,
            own_questions="\n".join(own),
            warning=(
                "noted"
                if warning is None
                else "standard"
                if warning is True
                else "own"
                if warning is not False and text(warning)
                else "none"
            ),
            warning_text="" if isinstance(warning, bool) else text(warning),
            notes=text(data.get("notes")) or "lines",
            layout=text(data.get("layout")) or "cards",
            paper=text(data.get("paper")) or "a4",
            orientation=text(data.get("orientation")) or "portrait",
            brand=text(data.get("brand")) or DEFAULT_BRAND,
            link_params=text(data.get("link_params")),
        )
        composition.guide = composition.likely_guide(project)
        return composition

    def likely_guide(self, project: Project | None) -> str:
        """The guide a loaded spec was most likely made from: its first borrowed
        question's, else the first guide recommending its first story."""
        if project is None:
            return ""
        if self.questions:
            return self.questions[0].split(":")[0]
        for guide in project.guides:
            if self.stories and self.stories[0] in {story.id for story in guide.stories}:
                return guide.slug
        return ""

    def spec(self, default_title: str = "") -> dict:
        """The handout spec, in the shape and order of a spec file; empty fields left out.
        ``default_title`` is written when the form's title is empty, so a saved spec
        prints the title the preview showed."""
        session = {key: getattr(self, key) for key in SESSION_KEYS if getattr(self, key)}
        questions = self.questions + [
            line.strip() for line in self.own_questions.splitlines() if line.strip()
        ]
        if self.warning == "own":
            warning: bool | str | None = self.warning_text or True
        elif self.warning == "noted":
            warning = None
        else:
            warning = self.warning != "none"
        spec = {
            "title": self.title or default_title,
            "subtitle": self.subtitle,
            "session": session,
            "stories": self.stories,
            "questions": questions,
            "layout": self.layout,
            "paper": self.paper,
            "orientation": self.orientation,
            "notes": self.notes,
            "content_warning": warning,
            "link_params": self.link_params,
            "brand": "" if self.brand == DEFAULT_BRAND else self.brand,
        }
        return {key: value for key, value in spec.items() if value not in ("", [], {}, None)}

    def file_name(self, suffix: str, default_title: str = "") -> str:
        return f"{safe_name(self.title or default_title, 'handout')}{suffix}"

    def default_title(self, project: Project) -> str:
        """The title when the form's is empty: the CLI's (the one story's; else the
        guide's its questions, or all its stories, come from), else the chosen guide's."""
        stories = [project.stories[s] for s in self.stories if s in project.stories]
        questions = [Question("", guide=ref.split(":")[0]) for ref in self.questions]
        title = reader_for(project, []).default_title(stories, questions)
        if title:
            return title
        return next((guide.title for guide in project.guides if guide.slug == self.guide), "")


def spec_yaml(spec: dict) -> str:
    """A spec as the YAML file the CLI reads."""
    return yaml.safe_dump(spec, sort_keys=False, allow_unicode=True, width=1000)


def spec_data(spec: dict) -> LineDict:
    """A spec as the reader's input, each value marked with the form field it came from."""
    data = LineDict.empty()
    for key, value in spec.items():
        pairs = {f"session.{k}": v for k, v in value.items()} if key == "session" else {key: value}
        for dotted, item in pairs.items():
            data = apply_overrides(data, {dotted: item}, Path(dotted), None)
    return data


@dataclass
class Checked:
    """A composition checked by the CLI's reader: the handout, or what is wrong where."""

    handout: Handout | None
    # The title used when the form's is empty ("" if there is none).
    default_title: str = ""
    errors: dict[str, list[str]] = field(default_factory=dict)
    # Problems that belong to no one field.
    general: list[str] = field(default_factory=list)
    # Printed as asked, but probably not meant (a placeholder left in), by field.
    warnings: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.handout is not None and not self.errors and not self.general


def reader_for(project: Project, errors: list[ContentError]) -> HandoutReader:
    """The CLI's reader, as ``dnaoc-print handout`` makes it."""
    return HandoutReader.for_project(project, errors)


def check(composition: Composition, project: Project, brands: list[str]) -> Checked:
    """Validate a composition exactly as ``dnaoc-print handout`` validates its spec."""
    errors: list[ContentError] = []
    reader = reader_for(project, errors)
    default_title = composition.default_title(project)
    spec = composition.spec(default_title)
    handout = reader.handout(spec_data(spec), composition.file_name("", default_title), FORM)
    checked = Checked(handout, default_title, warnings=placeholder_warnings(composition))
    # A story (or a guide's questions) that cannot be used because its file is broken:
    # its own problems, file and line, beside the field that chose it.
    for story in composition.stories:
        for problem in project.broken_stories.get(story, ()):
            checked.errors.setdefault("stories", []).append(
                f"the story '{story}' cannot be used: {problem}"
            )
    borrowed = dict.fromkeys(reference.split(":")[0] for reference in composition.questions)
    for guide in borrowed:
        for problem in project.broken_questions.get(guide, ()):
            checked.errors.setdefault("questions", []).append(
                f"the questions of '{guide}' cannot be used: {problem}"
            )
    for error in errors:
        field_name = field_of(error)
        if field_name:
            checked.errors.setdefault(field_name, []).append(form_message(error))
        else:
            checked.general.append(form_message(error))
    if composition.brand not in brands:
        checked.errors.setdefault("brand", []).append(
            f"there is no brand '{composition.brand}' (brands: {', '.join(brands)})"
        )
    # The guide only orders the form; one whose file is broken is no error in a handout.
    broken_guides = {broken.name for broken in project.broken if broken.kind == "guide"}
    guides = {guide.slug for guide in project.guides} | broken_guides
    if composition.guide and composition.guide not in guides:
        checked.errors.setdefault("guide", []).append(f"there is no guide '{composition.guide}'")
    return checked


def placeholder_warnings(composition: Composition) -> dict[str, list[str]]:
    """Placeholders, ``((Your name here))``, left in a field (a loaded example spec has
    them): the handout prints them, brackets and all, so each is said beside its field."""
    warnings: dict[str, list[str]] = {}
    for name, shown_beside in PRINTED_FIELDS.items():
        for marker in MARKER.finditer(getattr(composition, name)):
            warnings.setdefault(shown_beside, []).append(
                f"'{marker[0]}' is a placeholder and would be printed as it is: "
                "write your own words in its place"
            )
    return warnings


def field_of(error: ContentError) -> str | None:
    """The form field an error is about, from the pseudo-file its value came from."""
    key = error.path.as_posix() if error.path else ""
    if error.path == FORM:
        missing = re.search(r"missing field '([\w.]+)'", error.message)
        count = COUNT_ERROR.search(error.message)
        key = missing[1] if missing else count["key"] if count else ""
    return FIELD_OF_KEY.get(key, key) or None


def form_message(error: ContentError) -> str:
    """The CLI's message in the form's words where it speaks of the spec file's."""
    if re.search(r"missing field 'title'", error.message):
        return "Give the handout a title (or choose one story, and its title is used)."
    count = COUNT_ERROR.search(error.message)
    if count:
        wanted, key = count["wanted"], count["key"]
        if wanted == "exactly 1":
            wanted, key = "one", {"stories": "story", "questions": "question"}[key]
        layout = LAYOUT_LABELS.get(count["layout"], count["layout"])
        return (
            f"Choose {wanted} {key} for the layout “{layout}” "
            f"({count['count']} chosen now), or choose another layout."
        )
    return error_text(error)


def error_text(error: ContentError) -> str:
    """The CLI's message and hint, without the file (the field says where)."""
    return f"{error.message} ({error.hint})" if error.hint else error.message


def read_uploaded_spec(content: bytes, file_name: str) -> LineDict:
    """A spec uploaded with "Load spec", read as the CLI reads a spec file."""
    shown = Path(Path(file_name or "spec.yaml").name)
    if len(content) > MAX_SPEC_BYTES:
        raise ContentErrors(
            [
                ContentError(
                    f"file is {len(content):,} bytes, more than the {MAX_SPEC_BYTES:,} allowed",
                    path=shown,
                    hint="a handout spec is a small YAML file; is this the right file?",
                )
            ]
        )
    try:
        text = content.decode("utf-8").lstrip("\ufeff")
    except UnicodeDecodeError:
        raise ContentErrors(
            [ContentError("the file is not UTF-8 text", path=shown, hint="save it as UTF-8")]
        ) from None
    try:
        data = parse_yaml(text, shown)
    except ContentError as error:
        raise ContentErrors([error]) from None
    if data is None:
        return LineDict.empty()
    if not isinstance(data, LineDict):
        raise ContentErrors(
            [ContentError("a handout spec must be 'name: value' lines", path=shown, line=1)]
        )
    return data


def check_uploaded(data: LineDict, file_name: str, project: Project) -> list[str]:
    """The CLI's errors for an uploaded spec, with its lines."""
    errors: list[ContentError] = []
    reader_for(project, errors).handout(data, "handout", Path(Path(file_name or "spec.yaml").name))
    if not errors:
        from dnaoc_print.handout_batches import dependency_problems

        errors += dependency_problems(project, data)
    return [str(error) for error in errors]
