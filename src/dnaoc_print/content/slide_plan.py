"""Which words of a guide go on its slides: the ``slides`` group of its front matter.

A guide may say which short points show its theme on screen, which section of the
guide each theme slide stands for (its words become that slide's speaker notes),
which questions are shown and how many share a slide. Every part is optional;
``render/slides.py`` fills in what is left out from the guide itself. Problems are
recorded with the file and line, like every other guide field.
"""

from __future__ import annotations

import re

from dnaoc_print.content.fields import Fields
from dnaoc_print.content.yaml_source import LineDict, LineList
from dnaoc_print.model import SlidePlan, ThemeSlide

# A deck shows its theme in two to four slides, one idea each.
THEME_SLIDES = (2, 4)
# Points on one theme slide: few enough to read from the back of a room.
MAX_POINTS = 3
QUESTIONS_PER_SLIDE = (1, 2)
PLAN_FIELDS = ("theme", "questions", "questions_per_slide")
THEME_FIELDS = ("title", "points", "section", "notes")
# A Markdown heading of the theme (## or ###): the sections a theme slide may name.
SECTION_HEADING = re.compile(r"^#{2,3}\s+(?P<text>.+?)\s*#*\s*$", re.MULTILINE)


def section_headings(body: str) -> list[str]:
    """The theme's section headings (## and ###), in order."""
    return [match["text"] for match in SECTION_HEADING.finditer(body)]


def read_slide_plan(fields: Fields, body: str, question_count: int) -> SlidePlan | None:
    """The ``slides`` group of a guide's front matter; None when it has none or it is
    wrong (each problem is recorded with its line)."""
    group = fields.mapping("slides")
    if group is None:
        return None
    start = len(fields.errors)
    group.check_keys(PLAN_FIELDS)
    theme = _theme_slides(group, section_headings(body))
    questions = tuple(_question_numbers(group, question_count))
    per_slide = group.integer("questions_per_slide")
    if per_slide is not None and per_slide not in QUESTIONS_PER_SLIDE:
        group.fail("questions_per_slide", "'slides.questions_per_slide' must be 1 or 2")
    if len(fields.errors) > start:
        return None
    return SlidePlan(theme, questions, per_slide or QUESTIONS_PER_SLIDE[-1])


def _theme_slides(group: Fields, headings: list[str]) -> list[ThemeSlide]:
    value = group.data.get("theme")
    if value is None:
        return []
    if not isinstance(value, LineList):
        group.fail("theme", "'slides.theme' must be a list of slides ('- title: ...')")
        return []
    low, high = THEME_SLIDES
    if not low <= len(value) <= high:
        group.fail(
            "theme",
            f"'slides.theme' lists {len(value)} slides; the theme takes {low} to {high}",
            "one idea a slide: join or split them",
        )
    slides = []
    for index, item in enumerate(value):
        if not isinstance(item, LineDict):
            group.fail(
                "theme",
                f"slide {index + 1} of 'slides.theme' must be 'title:' and 'points:' lines",
                line=value.line_of(index),
            )
            continue
        slide = _theme_slide(Fields(item, group.path, group.errors, f"slides.theme {index + 1}."))
        if slide and slide.section and slide.section not in headings:
            known = ", ".join(f"'{heading}'" for heading in headings) or "none"
            Fields(item, group.path, group.errors).fail(
                "section",
                f"slide {index + 1} of 'slides.theme' names the section '{slide.section}', "
                "which the guide does not have",
                f"use a heading of the guide as written: {known}",
            )
        elif slide:
            slides.append(slide)
    return slides


def _theme_slide(fields: Fields) -> ThemeSlide | None:
    fields.check_keys(THEME_FIELDS)
    title = fields.text("title", required=True)
    points = [point for point, _ in fields.text_list("points", required=True)]
    if len(points) > MAX_POINTS:
        fields.fail(
            "points",
            f"a theme slide holds at most {MAX_POINTS} points, not {len(points)}",
            "keep the one idea of the slide; the rest belongs in its notes",
        )
    if not title or not points:
        return None
    return ThemeSlide(title, tuple(points), fields.text("section"), fields.text("notes"))


def _question_numbers(group: Fields, question_count: int) -> list[int]:
    value = group.data.get("questions")
    if value is None:
        return []
    if not isinstance(value, LineList) or not value:
        group.fail("questions", "'slides.questions' must list question numbers, e.g. [1, 3, 6]")
        return []
    numbers = []
    for index, item in enumerate(value):
        if isinstance(item, bool) or not isinstance(item, int) or not 1 <= item <= question_count:
            group.fail(
                "questions",
                f"item {index + 1} of 'slides.questions' is {item!r}, not a question's number",
                f"the guide's questions are numbered 1 to {question_count}",
                line=value.line_of(index),
            )
            continue
        numbers.append(item)
    return numbers
