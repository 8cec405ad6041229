"""The brands the composer offers, by the names printed on their pages.

A facilitator knows "Northdale Community Health", not the folder ``northdale``. The
brands shipped as examples (an imaginary trust, marked ``example: true`` in their
brand file) are not offered as if they were real: only when the project's serve.toml
names them in ``example_brands`` (to show a team what a brand does), or when the
server was started with one (``serve --brand example-trust``).
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from dnaoc_print.brands.loading import load_brand
from dnaoc_print.content.brand_folders import brand_names
from dnaoc_print.errors import DnaocError


class BrandChoice(NamedTuple):
    """A brand folder, the organisation it prints, and whether it is an example."""

    name: str
    printed_name: str
    example: bool


def read_brand_choices(root: Path) -> list[BrandChoice]:
    """Every brand of the project; one whose file is broken keeps its folder name (a
    handout in it then shows the brand's problems)."""
    choices = []
    for name in brand_names(root):
        try:
            brand, _ = load_brand(root, name)
        except DnaocError:
            choices.append(BrandChoice(name, name, False))
            continue
        choices.append(BrandChoice(name, brand.organisation or name, brand.example))
    return choices


def offered_brands(
    choices: list[BrandChoice], default_brand: str, example_brands: tuple[str, ...] = ()
) -> list[tuple[str, str]]:
    """(folder, printed name) of each brand the form offers, in the project's order.
    Two brands printing the same name are told apart by their folder."""
    offered = [
        choice
        for choice in choices
        if not choice.example or choice.name in example_brands or choice.name == default_brand
    ]
    printed = [choice.printed_name for choice in offered]
    return [
        (
            choice.name,
            choice.printed_name
            if printed.count(choice.printed_name) == 1
            else f"{choice.printed_name} ({choice.name})",
        )
        for choice in offered
    ]
