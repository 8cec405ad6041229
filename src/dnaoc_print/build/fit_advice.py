"""What to change so a handout fits its page, said where the user made each setting:
a flag, a CSV column, or a spec file's line (the advice of a "does not fit" error)."""

from __future__ import annotations

from collections.abc import Mapping

from dnaoc_print.content.spec_checks import COMMAND_LINE, QUESTION_LIMITS, STORY_LIMITS
from dnaoc_print.model import Handout


def overflow_advice(handout: Handout, places: Mapping[str, str] | None = None) -> str:
    """What to change so a handout fits its page, each change said as the user would
    make it, and none that cannot be made (no story to remove when the layout needs
    the one there is).

    ``places`` maps a setting (``notes``, ``paper``, ``content_warning``) to where it
    was made: a flag (``--paper``), a CSV column (``E (Paper)``), ``ROW`` for a CSV
    row with no such column, or a spec's line (``line 20``; ``stories`` and
    ``questions`` too). A setting not in it is a spec's (``paper: a4``), or, for a
    handout made from flags alone, a flag's.
    """
    places = dict(places or {})
    if handout.source == COMMAND_LINE:
        for key in ADVISED_SETTINGS:
            places.setdefault(key, "--" + key.replace("_", "-"))
    stories = len(handout.stories) > STORY_LIMITS[handout.layout][0]
    questions = len(handout.questions) > QUESTION_LIMITS[handout.layout][0]
    remedies = []
    if stories or questions:
        cuts = [f"a story{_at('stories', places)}"] * stories
        cuts += [f"a question{_at('questions', places)}"] * questions
        remedies.append("remove " + " or ".join(cuts))
    if handout.questions:
        remedies.append(f"shorten the longest question{_at('questions', places)}")
    if handout.notes != "none":
        remedies.append(f"leave out the notes ({_change('notes', 'none', places)})")
    if handout.content_warning is True:
        # The standard warning, asked for or given because a story has a content note.
        change = _change("content_warning", "false", places)
        remedies.append(f"leave out the standard content warning ({change})")
    elif handout.content_warning:
        remedies.append("shorten the content warning")
    if handout.paper == "a5":
        remedies.append(f"print on A4 ({_change('paper', 'a4', places)})")
    if handout.paper == "half-letter":
        remedies.append(f"print on Letter ({_change('paper', 'letter', places)})")
    if not remedies:
        remedies.append("shorten the title, the subtitle or the session details")
    return "; ".join(remedies)


# The settings the advice may ask to change, and a CSV row with no column for one
# (the change is a column to add).
ADVISED_SETTINGS = ("notes", "paper", "content_warning")
ROW = "row"
# What the advice may name in a spec file, by its line.
FIT_SETTINGS = (*ADVISED_SETTINGS, "stories", "questions")
# A spec file's line, as a place in ``places``.
SPEC_LINE = "line "


def _at(key: str, places: Mapping[str, str]) -> str:
    """Where in its spec file the list ``key`` is, if it is known: " (stories, line 10)"."""
    place = places.get(key, "")
    return f" ({key}, {place})" if place.startswith(SPEC_LINE) else ""


def _change(key: str, value: str, places: Mapping[str, str]) -> str:
    """Setting ``key`` to ``value``, said where the user made the setting."""
    place = places.get(key)
    if place is None:
        return f"{key}: {value}"
    if place.startswith(SPEC_LINE):
        return f"{key}: {value}, {place}"
    if place.startswith("--"):
        return "--no-content-warning" if key == "content_warning" else f"{place} {value}"
    cell = "no" if value == "false" else value
    if place == ROW:
        return f"add a '{key}' column holding {cell}"
    return f"write {cell} in column {place}"
