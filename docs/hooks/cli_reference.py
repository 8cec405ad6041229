"""MkDocs hook: the command reference, written from the click commands at build time.

docs/reference/commands.md holds the words around it and a marker line,
``<!-- commands -->``; this hook puts there every command of ``dnaoc-print`` (groups
and their subcommands too), its usage, its help text and a table of its options, all
read from the same click objects that ``dnaoc-print --help`` prints. So the
reference cannot drift from the program: change an option's help and the next
build of the site says the new words.
"""

from __future__ import annotations

import html
import inspect
import re

import click

MARKER = "<!-- commands -->"
PAGE = "reference/commands.md"


def on_page_markdown(markdown: str, page, config, files) -> str:
    if page.file.src_uri != PAGE:
        return markdown
    if MARKER not in markdown:
        raise ValueError(f"docs/{PAGE} has lost its marker line {MARKER}")
    from dnaoc_print.cli.main import main

    return markdown.replace(MARKER, commands_markdown(main, "dnaoc-print"))


def commands_markdown(group: click.Group, name: str) -> str:
    """The whole tree, each command a section, in the order `--help` lists them."""
    return "\n\n".join(command_markdown(command, ctx) for command, ctx in walk(group, name))


def walk(command: click.Command, name: str, parent: click.Context | None = None):
    """Each (command, its context), the group before its subcommands; an alias
    (`preview` for `serve`) is listed under its own name."""
    # As click makes it: the group's settings (-h as well as --help) reach its commands.
    ctx = click.Context(command, info_name=name, parent=parent, **command.context_settings)
    yield command, ctx
    if isinstance(command, click.Group):
        for sub_name in command.list_commands(ctx):
            yield from walk(command.get_command(ctx, sub_name), sub_name, ctx)


def command_markdown(command: click.Command, ctx: click.Context) -> str:
    path = ctx.command_path
    lines = [f"## `{path}`", ""]
    usage = " ".join(command.collect_usage_pieces(ctx))
    lines += ["```text", f"{path} {usage}", "```", ""]
    if command.help:
        lines += [help_paragraphs(command.help), ""]
    arguments = [param for param in command.params if isinstance(param, click.Argument)]
    if arguments:
        names = ", ".join(f"`{argument.make_metavar(ctx)}`" for argument in arguments)
        lines += [f"Arguments: {names} (see the usage line above).", ""]
    options = [param for param in command.get_params(ctx) if isinstance(param, click.Option)]
    rows = [row for row in (option.get_help_record(ctx) for option in options) if row]
    if rows:
        lines += ["| option | what it does |", "| --- | --- |"]
        lines += [f"| {option_cell(opts)} | {table_cell(text)} |" for opts, text in rows]
    if isinstance(command, click.Group):
        subcommands = command.list_commands(ctx)
        links = ", ".join(f"[`{path} {sub}`](#{anchor(f'{path} {sub}')})" for sub in subcommands)
        lines += ["", f"Its commands: {links}."]
    return "\n".join(lines)


def help_paragraphs(text: str) -> str:
    """Click's help text as Markdown: its paragraphs kept, a `\\b` block shown as
    written, anything that looks like HTML shown as written."""
    paragraphs = []
    for paragraph in inspect.cleandoc(text).split("\n\n"):
        if paragraph.startswith("\b"):
            # Lines click prints as they are (examples): a block of text, as written.
            block = paragraph.lstrip("\b").strip("\n")
            paragraphs.append("```text\n" + inspect.cleandoc(block) + "\n```")
        else:
            paragraphs.append(escape(" ".join(paragraph.split())))
    return "\n\n".join(paragraphs)


def option_cell(opts: str) -> str:
    """`-o, --out PATH` as code, each name on its own: `-o`, `--out PATH`."""
    return ", ".join(f"`{part.strip()}`" for part in opts.split(", "))


def table_cell(text: str) -> str:
    return escape(" ".join(text.split())).replace("|", "\\|")


def escape(text: str) -> str:
    return html.escape(text, quote=False)


def anchor(title: str) -> str:
    """The id MkDocs' toc gives a heading `` `title` ``."""
    return re.sub(r"[\s]+", "-", re.sub(r"[^\w\s-]", "", title).strip().lower())
