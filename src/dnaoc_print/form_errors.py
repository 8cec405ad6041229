"""The CLI's errors in the composer's words: which form field each is about, and
its message there.

Each value of the form is read as if written in a file named after its field
(``title``, ``session.venue``), so an error's file says its field; an error about
the spec as a whole comes from ``FORM``, and its message says which field it is.
"""

from __future__ import annotations

import re
from pathlib import Path

from dnaoc_print.composition import SESSION_KEYS
from dnaoc_print.errors import ContentError

# Where an error with no field of its own comes from.
FORM = Path("the form")
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
