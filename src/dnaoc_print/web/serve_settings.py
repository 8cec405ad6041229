"""How `dnaoc-print serve` runs: its flags, or a small ``serve.toml`` in the project.

A service manager (systemd, a Windows service) starts ``dnaoc-print serve`` with no
flags; the team's settings live beside the content, in ``serve.toml``::

    host = "127.0.0.1"
    port = 8000
    public_url = "https://handouts.example.nhs.uk"
    behind_proxy = true
    workers = 2

A flag given on the command line wins over the file. Every problem in the file is
reported at once, each with its line, and a key the server does not know is an error
(a misspelt ``public_url`` would otherwise leave the server answering at the wrong name).
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from urllib.parse import urlsplit

from dnaoc_print.errors import ContentError, ContentErrors, did_you_mean

SETTINGS_FILE = "serve.toml"
LOOPBACK = "127.0.0.1"
DEFAULT_PORT = 8000
# Typesetting jobs that may wait for a worker, for each worker: past them the server
# answers "busy" at once, rather than keep a facilitator waiting minutes. Waiting in
# the queue is first come, first served; a "busy" page asks again, and may be
# overtaken: so the queue holds a good many (a page takes a worker about a second).
WAITING_PER_WORKER = 8
# A worker typesets one page at a time in about a second and holds 150-250 MB.
MAX_WORKERS = 32


def default_workers() -> int:
    """One typesetting process for each core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # Windows and macOS have no affinity call
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class ServeSettings:
    """Where the server listens, the name browsers use for it, and its load limits."""

    host: str = LOOPBACK
    port: int = DEFAULT_PORT
    # The address browsers use (https://handouts.example.nhs.uk): the only name,
    # besides this computer's own loopback names, the server answers to.
    public_url: str | None = None
    # Trust X-Forwarded-For/-Proto/-Host, as set by one reverse proxy in front.
    behind_proxy: bool = False
    workers: int = field(default_factory=default_workers)
    # Typesetting jobs that may wait; None: WAITING_PER_WORKER for each worker.
    queue: int | None = None
    brand: str | None = None
    # Brands marked ``example: true`` that the composer offers all the same.
    example_brands: tuple[str, ...] = ()

    @property
    def waiting(self) -> int:
        return self.queue if self.queue is not None else WAITING_PER_WORKER * self.workers

    def with_flags(self, **flags) -> ServeSettings:
        """These settings with every flag that was given (not None) in their place."""
        return replace(self, **{name: value for name, value in flags.items() if value is not None})


def _is_text(value) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _is_names(value) -> bool:
    return isinstance(value, list) and all(_is_text(item) for item in value)


# Each key: (whether a value is right, what a right value is).
CHECKS = {
    "host": (_is_text, 'an address to listen on, e.g. "127.0.0.1" or "0.0.0.0"'),
    "port": (lambda v: type(v) is int and 0 <= v <= 65535, "a whole number from 0 to 65535"),
    "public_url": (_is_text, 'the address browsers use, e.g. "https://handouts.example.nhs.uk"'),
    "behind_proxy": (lambda v: isinstance(v, bool), "true or false"),
    "workers": (lambda v: type(v) is int and 1 <= v <= MAX_WORKERS, f"1 to {MAX_WORKERS}"),
    "queue": (lambda v: type(v) is int and 0 <= v <= 1000, "a whole number from 0 to 1000"),
    "brand": (_is_text, "the name of a folder in brands/"),
    "example_brands": (_is_names, 'a list of brand folder names, e.g. ["example-trust"]'),
}


def public_url_problem(url: str) -> str | None:
    """What is wrong with a public URL, or None: it must be http(s)://name[:port]."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "must start with https:// (or http://) and name the server"
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        return "must be only the server's address, with no path after it"
    try:
        parts.port  # noqa: B018 (raises for a port that is not a number)
    except ValueError:
        return "has a port that is not a number"
    return None


def public_host(url: str) -> str:
    """The Host header a browser sends for a public URL (its default port left out)."""
    parts = urlsplit(url)
    default = {"http": 80, "https": 443}[parts.scheme]
    name = parts.hostname or ""
    name = f"[{name}]" if ":" in name else name
    return name if parts.port in (None, default) else f"{name}:{parts.port}"


def public_origin(url: str) -> str:
    """The Origin a browser sends from pages at a public URL."""
    return f"{urlsplit(url).scheme}://{public_host(url)}"


def _line_of(text: str, key: str) -> int | None:
    for number, line in enumerate(text.splitlines(), 1):
        if re.match(rf"\s*{re.escape(key)}\s*=", line):
            return number
    return None


def read_settings(root: Path) -> ServeSettings:
    """The project's ``serve.toml`` (defaults without one). Raises ContentErrors naming
    the file and line of every problem in it."""
    path = root / SETTINGS_FILE
    if not path.is_file():
        return ServeSettings()
    shown = Path(SETTINGS_FILE)
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError:
        raise ContentErrors(
            [ContentError("is not UTF-8 text", path=shown, hint="save it as UTF-8")]
        ) from None
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"\(at line (\d+)", str(error))
        line = int(found[1]) if found else len(text.splitlines()) or None
        message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(error))
        raise ContentErrors(
            [
                ContentError(
                    f"is not valid TOML: {message}",
                    path=shown,
                    line=line,
                    hint='write each setting as name = value, text in quotes: host = "0.0.0.0"',
                )
            ]
        ) from None
    return _settings_from(data, text, shown)


def _settings_from(data: dict, text: str, shown: Path) -> ServeSettings:
    problems: list[ContentError] = []
    for key, value in data.items():
        line = _line_of(text, key)
        if key not in CHECKS:
            guess = did_you_mean(key, CHECKS)
            known = ", ".join(CHECKS)
            problems.append(
                ContentError(
                    f"unknown setting '{key}'",
                    path=shown,
                    line=line,
                    hint=f"did you mean '{guess}'?" if guess else f"the settings are: {known}",
                )
            )
            continue
        right, wanted = CHECKS[key]
        wrong = not right(value)
        if not wrong and key == "public_url" and (problem := public_url_problem(value)):
            wanted, wrong = f"the address browsers use: it {problem}", True
        if wrong:
            problems.append(
                ContentError(f"{key} = {value!r} is not right", path=shown, line=line, hint=wanted)
            )
    if problems:
        raise ContentErrors(problems)
    names = {f.name for f in fields(ServeSettings)}
    given = {key: value for key, value in data.items() if key in names}
    if "example_brands" in given:
        given["example_brands"] = tuple(given["example_brands"])
    return ServeSettings(**given)
