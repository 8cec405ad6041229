"""What a handout made for half a sheet (A5, half-letter) holds, as designed.

The small page is designed for a short session (layouts/paper-a5.css): compact story
cards, a few questions, a few lines for notes. The tool suggests printing a handout
two to a sheet only when it holds no more than this, so that the advice works when
followed; a fuller handout is printed on a whole sheet.
"""

from __future__ import annotations

from dnaoc_print.model import Handout

# Stories and questions a half-sheet handout of each layout holds at the latest.
HOLDS = {"cards": (3, 3), "single": (1, 3), "questions": (2, 3)}


def fits_half_sheet(handout: Handout) -> bool:
    """Does the handout hold no more than a half-sheet page is designed for?"""
    stories, questions = HOLDS[handout.layout]
    return len(handout.stories) <= stories and len(handout.questions) <= questions


def holds_text(layout: str) -> str:
    """What a half-sheet handout of ``layout`` holds, said for a person."""
    stories, questions = HOLDS[layout]
    story_word = "story" if stories == 1 else "stories"
    return f"up to {stories} {story_word} and {questions} questions"
