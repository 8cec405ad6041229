"""The project's printed words that belong to no guide, handout or story.

Headings, labels, the series name, the handout licence line, the standard content
warning and the names of days and months live in ``content/shared/wording.yaml``,
so an editor finds every sentence the PDFs print under ``content/`` and the fact
check and the copied-prose check read them there. Templates reach them as ``words``
(``{{ words.guide.contents }}``); no layout or module holds printed English of its
own (``tests/test_printed_words.py``).

The file is checked when the project is loaded: a missing or unknown name, or a
value of the wrong kind, is an error naming its line.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from dnaoc_print.content.fields import Fields
from dnaoc_print.content.yaml_source import LineDict, parse_yaml, read_text
from dnaoc_print.errors import ContentError

WORDING_PATH = Path("content") / "shared" / "wording.yaml"

# Every name the layouts use: text, a list of text, a list of exactly N, or a group.
TEXT, LIST = "text", "list"
SCHEMA: dict[str, Any] = {
    "series": TEXT,
    "keywords": LIST,
    "content_warning_label": TEXT,
    "qr_alt": TEXT,
    "guide": {
        "description": TEXT,
        "cover_note": TEXT,
        "contents": TEXT,
        "references": TEXT,
        "stories_heading": TEXT,
        "stories_lead": TEXT,
        "questions_heading": TEXT,
        "questions_lead": TEXT,
        "page_numbers": TEXT,
    },
    "handout": {
        "series": TEXT,
        "batch_title": TEXT,
        "description": TEXT,
        "date": TEXT,
        "time": TEXT,
        "venue": TEXT,
        "facilitator": TEXT,
        "contact": TEXT,
        "content_warning": TEXT,
        "one_story": TEXT,
        "stories": TEXT,
        "questions": TEXT,
        "notes": TEXT,
        "credit": TEXT,
    },
    # The slide pack of each guide (issue 26, see render/slides.py).
    "slides": {
        "deck_title": TEXT,
        "story_kicker": TEXT,
        "scan_prompt": TEXT,
        "questions_title": TEXT,
        "closing_title": TEXT,
        "series_page": TEXT,
        "notes_title": TEXT,
        "notes_slide": TEXT,
        "thumbnail_alt": TEXT,
        "title_notes": TEXT,
        "story_notes": TEXT,
        "warning_notes": TEXT,
        "questions_notes": TEXT,
        "closing_notes": TEXT,
    },
    "weekdays": 7,
    "months": 12,
}

_SLOT = re.compile(r"\{(?P<name>[a-z_]+)\}")


def load_wording(root: Path, shown: Path, errors: list[ContentError]) -> dict[str, Any]:
    """The wording file as nested dicts of text; problems are added to ``errors``."""
    path = root / WORDING_PATH
    if not path.is_file():
        errors.append(
            ContentError(
                "the file of printed wording is missing",
                path=shown,
                hint="copy content/shared/wording.yaml from a fresh project",
            )
        )
        return {}
    try:
        data = parse_yaml(read_text(path, shown), shown)
    except ContentError as error:
        errors.append(error)
        return {}
    if not isinstance(data, LineDict):
        errors.append(ContentError("wording must be 'name: text' lines", path=shown, line=1))
        return {}
    return _read(Fields(data, shown, errors), SCHEMA)


def _read(fields: Fields, schema: dict[str, Any]) -> dict[str, Any]:
    fields.check_keys(schema)
    words: dict[str, Any] = {}
    for key, kind in schema.items():
        if isinstance(kind, dict):
            group = fields.mapping(key)
            if group is None:
                if key not in fields.data:
                    fields.fail(None, f"missing group '{fields.name(key)}'", f"add '{key}:'")
                continue
            words[key] = _read(group, kind)
        elif kind == TEXT:
            words[key] = fields.text(key, required=True) or ""
        else:
            items = [item for item, _ in fields.text_list(key, required=True)]
            if isinstance(kind, int) and key in fields.data and len(items) != kind:
                fields.fail(key, f"'{fields.name(key)}' must list {kind} names, not {len(items)}")
            words[key] = items
    return words


def fill(text: str, **values: str) -> str:
    """``text`` with each ``{name}`` given here replaced by its value.

    Only the names passed in are replaced, and the text is never evaluated, so
    wording stays data however it is written.
    """
    return _SLOT.sub(lambda slot: str(values.get(slot["name"], slot[0])), text)
