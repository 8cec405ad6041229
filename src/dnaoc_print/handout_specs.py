"""Handout specs: from a YAML file, from command-line flags, or from rows of a CSV file.

All three become the same ``LineDict`` and are validated by one reader, so a bad
value gets the same clear error wherever it was written: a spec's line, or the
CSV row (its line in the file) that set it.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from dnaoc_print.errors import ContentError, did_you_mean
from dnaoc_print.fields import Fields
from dnaoc_print.model import (
    HANDOUT_LAYOUTS,
    ORIENTATIONS,
    PAPERS,
    Guide,
    Handout,
    Question,
    Session,
    Story,
)
from dnaoc_print.yaml_source import LineDict, LineList, parse_yaml, read_text

QUESTION_REFERENCE = re.compile(r"^(?P<guide>[a-z0-9]+(?:-[a-z0-9]+)*):(?P<number>\d+)$")
NOTES_STYLES = ("none", "lines", "box")
SESSION_FIELDS = ("date", "time", "venue", "facilitator", "contact")
HANDOUT_FIELDS = (
    "title", "subtitle", "session", "stories", "questions", "notes", "content_warning",
    "paper", "orientation", "layout", "link_params", "brand",
)  # fmt: skip
LIST_FIELDS = ("stories", "questions")
# How many stories and questions each layout holds on one page.
STORY_LIMITS = {"cards": (1, 6), "single": (1, 1), "questions": (0, 6)}
QUESTION_LIMITS = {"cards": (0, 6), "single": (0, 6), "questions": (1, 8)}
# A list in one CSV cell or flag: items separated by semicolons.
LIST_SEPARATOR = ";"
MAX_CSV_BYTES = 5_000_000


def with_link_params(url: str, params: str | None) -> str:
    """``url`` with campaign parameters (``utm_source=handout&...``) added to its query."""
    if not params:
        return url
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    query += parse_qsl(params.lstrip("?"), keep_blank_values=True)
    return urlunsplit(parts._replace(query=urlencode(query)))


def safe_name(value: str, fallback: str) -> str:
    """A file name made only of lower-case letters, digits and hyphens.

    Slashes, dots and anything else become hyphens, so a name can never climb out
    of the output folder or hide as a dotfile.
    """
    name = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
    return name[:80].strip("-") or fallback


class HandoutReader:
    """Validates handout specs against the project's stories and guides."""

    def __init__(
        self,
        stories: dict[str, Story],
        guides: list[Guide] | tuple[Guide, ...],
        errors: list[ContentError],
        broken: set[str] | None = None,
    ) -> None:
        self.stories = stories
        self.guides = {guide.slug: guide for guide in guides}
        self.errors = errors
        self.broken = broken if broken is not None else set()

    def read_file(self, path: Path, shown: Path) -> LineDict:
        data = parse_yaml(read_text(path, shown), shown)
        if data is None:
            data = LineDict.empty()
        if not isinstance(data, LineDict):
            raise ContentError(
                "a handout spec must be a group of 'name: value' lines", path=shown, line=1
            )
        return data

    def handout(self, data: LineDict, name: str, source: Path) -> Handout | None:
        fields = Fields(data, source, self.errors)
        fields.check_keys(HANDOUT_FIELDS)
        title = fields.text("title", required=True)
        layout = fields.choice("layout", HANDOUT_LAYOUTS, default="cards")
        stories = fields.story_refs("stories", self.stories, self.broken, required=False)
        questions = self.questions(fields)
        # Count what was listed, found or not: an unknown id already has its own error.
        for key, found, limits in (
            ("stories", stories, STORY_LIMITS),
            ("questions", questions, QUESTION_LIMITS),
        ):
            listed = data.get(key)
            count = len(listed) if isinstance(listed, list) else len(found)
            self.check_count(fields, key, count, limits[layout], layout)
        link_params = fields.text("link_params")
        if link_params and not re.fullmatch(
            r"[\w.~%-]+=[\w.~%+-]*(&[\w.~%-]+=[\w.~%+-]*)*", link_params
        ):
            fields.fail(
                "link_params",
                f"'link_params' is not a query string: '{link_params}'",
                "write it like utm_source=handout&utm_medium=print",
            )
            link_params = None
        warning = fields.switch_or_text("content_warning")
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
            paper=fields.choice("paper", PAPERS, default="a4"),
            orientation=fields.choice("orientation", ORIENTATIONS, default="portrait"),
            layout=layout,
            brand=fields.text("brand"),
        )

    @staticmethod
    def check_count(
        fields: Fields, key: str, count: int, limits: tuple[int, int], layout: str
    ) -> None:
        low, high = limits
        if low <= count <= high:
            return
        wanted = f"exactly {low}" if low == high else f"{low} to {high}"
        fields.fail(
            key if key in fields.data else None,
            f"the '{layout}' layout takes {wanted} {key}, not {count}",
            "choose another layout (cards, single, questions) or change the list",
        )

    def questions(self, fields: Fields) -> list[Question]:
        """Questions written out, or borrowed from a guide as ``guide-slug:number``."""
        questions = []
        for text, line in fields.text_list("questions"):
            reference = QUESTION_REFERENCE.match(text)
            if not reference:
                questions.append(Question(text=text))
                continue
            slug, number = reference["guide"], int(reference["number"])
            guide = self.guides.get(slug)
            if slug in self.broken:
                continue
            if guide is None:
                hint = did_you_mean(slug, self.guides) or f"guides: {', '.join(self.guides)}"
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


def apply_overrides(
    data: LineDict, overrides: Mapping[str, Any], source: Path, line: int | None
) -> LineDict:
    """A copy of ``data`` with ``overrides`` applied, each remembered as from ``source``.

    Keys may be dotted for nested fields (``session.venue``). Text for a list field
    (``stories``, ``questions``) is split on semicolons. ``None`` leaves a field alone.
    """
    merged = _copy(data)
    for dotted, value in overrides.items():
        if value is None:
            continue
        *parents, key = dotted.split(".")
        target = merged
        for parent in parents:
            child = target.get(parent)
            if not isinstance(child, LineDict):
                child = LineDict.empty(line)
                target.put(parent, child, line, source)
            target = child
        if key in LIST_FIELDS and isinstance(value, str):
            value = [item.strip() for item in value.split(LIST_SEPARATOR) if item.strip()]
        if isinstance(value, list | tuple):
            value = LineList.of(list(value), line)
        target.put(key, value, line, source)
    return merged


def _copy(data: LineDict) -> LineDict:
    copy = LineDict.empty(data.line)
    for key, value in data.items():
        copy.put(
            key,
            _copy(value) if isinstance(value, LineDict) else value,
            data.line_of(key),
            data.source_of(key),
        )
    return copy


def read_csv_rows(path: Path, shown: Path) -> list[tuple[int, dict[str, str]]]:
    """Rows of a CSV file (first row: field names) with the line each starts on."""
    text = read_text(path, shown, limit=MAX_CSV_BYTES).lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames:
        raise ContentError(
            "the CSV file is empty",
            path=shown,
            line=1,
            hint="the first row names the fields, e.g. title,session.date",
        )
    rows = []
    try:
        for row in reader:
            line = reader.line_num
            if None in row:
                raise ContentError(
                    "this row has more cells than the header has names",
                    path=shown,
                    line=line,
                    hint="check for an unquoted comma",
                )
            cells = {key.strip(): (value or "").strip() for key, value in row.items() if key}
            if any(cells.values()):
                rows.append((line, cells))
    except csv.Error as error:
        raise ContentError(
            f"the CSV file cannot be read: {error}", path=shown, line=reader.line_num
        ) from None
    return rows
