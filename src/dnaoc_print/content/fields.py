"""Typed fields read from one YAML mapping, with every problem recorded, not raised.

Loading collects all problems in all files before stopping, so each reader
appends to a shared error list and returns ``None`` (or a default) for a bad
value. Errors carry the file and the line of the value, or of the file where an
override (a flag, a CSV cell) came from.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from pathlib import Path

from dnaoc_print.content.yaml_source import LineDict, LineList
from dnaoc_print.errors import ContentError, did_you_mean
from dnaoc_print.model import Story

TRUE_WORDS = ("yes", "true", "on")
FALSE_WORDS = ("no", "false", "off")
# A story id, or a guide's or handout's file name: lower-case words joined by hyphens.
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class Fields:
    def __init__(self, data: LineDict, path: Path, errors: list[ContentError], prefix: str = ""):
        self.data = data
        self.path = path
        self.errors = errors
        self.prefix = prefix

    def fail(
        self, key: str | None, message: str, hint: str | None = None, line: int | None = None
    ) -> None:
        if line is None:
            line = self.data.line_of(key) if key else self.data.line
        path = (self.data.source_of(key) if key else None) or self.path
        label = self.data.label_of(key) if key else None
        if label and label.startswith("--"):
            # A flag the user typed: name the flag, not a file.
            self.errors.append(ContentError(message, hint=hint, flag=label))
            return
        self.errors.append(ContentError(message, path=path, line=line, hint=hint, column=label))

    def name(self, key: str) -> str:
        """The field as the user wrote it: a flag, a CSV column header, or its YAML name."""
        label = self.data.label_of(key)
        if label and label.startswith("--"):
            return label
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

    def mapping(self, key: str) -> Fields | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, LineDict):
            self.fail(key, f"'{self.name(key)}' must be a group of 'name: value' lines")
            return None
        return Fields(value, self.path, self.errors, prefix=f"{self.name(key)}.")

    def date(self, key: str) -> str | None:
        """An ISO date (YYYY-MM-DD), checked."""
        value = self.text(key)
        if value is None:
            return None
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            self.fail(
                key,
                f"'{self.name(key)}' is not a date: '{value}'",
                "write it as YYYY-MM-DD, e.g. 2026-12-01",
            )
            return None
        return value

    def choice(self, key: str, choices: tuple[str, ...], default: str) -> str:
        """One of ``choices`` (any case), or ``default`` when absent."""
        value = (self.text(key) or default).lower()
        if value not in choices:
            hint = did_you_mean(value, choices)
            self.fail(
                key,
                f"'{self.name(key)}' must be one of {', '.join(choices)}, not '{value}'",
                hint,
            )
            return default
        return value

    def switch_or_text(self, key: str) -> bool | str | None:
        """``true``/``false`` (or yes/no, on/off), or text of one's own; ``None`` if absent."""
        value = self.data.get(key)
        if value is None or isinstance(value, bool):
            return value
        text = self.text(key)
        if text is None:
            return None
        if text.lower() in TRUE_WORDS:
            return True
        if text.lower() in FALSE_WORDS:
            return False
        return text

    def story_refs(
        self, key: str, stories: dict[str, Story], broken: set[str], required: bool = True
    ) -> list[Story]:
        """Stories named by id; an unknown id is an error that suggests the closest."""
        found = []
        for story_id, line in self.text_list(key, required=required):
            if story_id in stories:
                found.append(stories[story_id])
            elif story_id not in broken:
                hint = did_you_mean(story_id, stories) or "see content/stories.yaml for the ids"
                if " - " in story_id:
                    # YAML reads a list whose items are not indented as one long text.
                    hint = (
                        f"this reads as one id because the list is not laid out as YAML "
                        f"expects: put each story on a line of its own, indented under "
                        f"'{key}:' as '  - {story_id.split(' - ')[0].lstrip('- ')}', or write "
                        f"the list on one line in brackets: [id, id]"
                    )
                self.fail(key, f"unknown story id '{story_id}'", hint, line=line)
        return found


def list_texts(value: object) -> list[str]:
    """The text items of a list field, unchecked (the reader checks them)."""
    if not isinstance(value, list):
        return []
    return [item.strip() for item in value if isinstance(item, str)]
