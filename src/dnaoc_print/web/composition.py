"""What the handout composer's form holds, and the handout spec it stands for.

A ``Composition`` is read from a submitted form (``from_form``) or from a spec a
user loads (``from_spec``: what the form can show of it), and gives back the plain
spec a YAML file holds (``spec``), in the shape and order of a spec file. Checking
that spec is ``composer``'s work.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from dnaoc_print.content.brand_folders import DEFAULT_BRAND
from dnaoc_print.content.fields import FALSE_WORDS, TRUE_WORDS
from dnaoc_print.content.specs import QUESTION_REFERENCE, HandoutReader, safe_name
from dnaoc_print.errors import ContentError
from dnaoc_print.model import Project, Question

SESSION_KEYS = ("date", "time", "venue", "facilitator", "contact")
# "noted": the spec says nothing, so the standard warning is printed when a chosen
# story has a content note (the CLI's default too).
WARNING_CHOICES = ("noted", "standard", "none", "own")


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
        ``default_title`` is written when the form's title is empty (see ``saved_spec``)."""
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

    def saved_spec(self, project: Project | None) -> dict:
        """The spec "Save spec" writes. An empty title stays empty, so the title keeps
        following the stories and questions chosen (the CLI finds it when typesetting);
        only a title the CLI could not find by itself (the chosen guide's) is written,
        so the saved spec prints the title the preview showed."""
        if self.title or project is None or self.cli_default_title(project):
            return self.spec()
        return self.spec(self.default_title(project))

    def keep_offered(self, project: Project) -> tuple[list[str], list[str]]:
        """Keep only the stories and guide questions the form offers; gives back the
        stories and questions left out."""
        questions = offered_questions(project)
        left_out = (
            [story for story in self.stories if story not in project.stories],
            [ref for ref in self.questions if ref not in questions],
        )
        self.stories = [story for story in self.stories if story in project.stories]
        self.questions = [ref for ref in self.questions if ref in questions]
        return left_out

    def file_name(self, suffix: str, default_title: str = "") -> str:
        return f"{safe_name(self.title or default_title, 'handout')}{suffix}"

    def default_title(self, project: Project) -> str:
        """The title when the form's is empty: the CLI's (the one story's; else the
        guide's its questions, or all its stories, come from), else the chosen guide's."""
        title = self.cli_default_title(project)
        if title:
            return title
        # A guide broken elsewhere than in its questions is still in the form's list.
        return next((entry.title for entry in project.series if entry.slug == self.guide), "")

    def cli_default_title(self, project: Project) -> str:
        """The title ``dnaoc-print handout`` gives a spec with none ("" if it finds none)."""
        stories = [project.stories[s] for s in self.stories if s in project.stories]
        questions = [Question("", guide=ref.split(":")[0]) for ref in self.questions]
        return reader_for(project, []).default_title(stories, questions) or ""


def offered_questions(project: Project) -> set[str]:
    """Every guide question the form offers, as GUIDE:N: each guide's whose questions
    are sound, even if something else in that guide is broken (as on the command line)."""
    return {
        f"{slug}:{number}"
        for slug, questions in project.questions.items()
        for number in range(1, len(questions) + 1)
    }


def reader_for(project: Project, errors: list[ContentError]) -> HandoutReader:
    """The CLI's reader, as ``dnaoc-print handout`` makes it."""
    return HandoutReader.for_project(project, errors)
