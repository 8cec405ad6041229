"""Regression tests for the tracebacks the command fuzzing found (test_fuzz_commands.py):
each is now a message saying what is wrong and what to do."""

from __future__ import annotations

import errno
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from dnaoc_print.cli.guard import system_refusal
from dnaoc_print.cli.main import main
from dnaoc_print.cli.serve import checked_host


def test_a_project_name_too_long_for_the_file_system_is_a_message(tmp_path: Path) -> None:
    too_long = str(tmp_path / ("x" * 300))
    result = CliRunner().invoke(main, ["check", "-C", too_long])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    assert "characters): File name too long" in result.output
    assert "hint: use a shorter name: a file or folder name holds 255 bytes at most" in (
        result.output
    )
    # --debug still shows what happened, traceback and all.
    debug = CliRunner().invoke(main, ["check", "-C", too_long, "--debug"])
    assert isinstance(debug.exception, OSError)


def test_system_refusal_names_the_path_and_what_to_do() -> None:
    error = OSError(errno.EACCES, "Permission denied", "/srv/out/x.pdf")
    assert system_refusal(error) == (
        "/srv/out/x.pdf: Permission denied\n"
        "  hint: choose a folder you may write to, or ask whoever manages this computer"
    )
    assert system_refusal(OSError(errno.EIO, "Input/output error")) == "Input/output error"


@pytest.mark.parametrize("host", ["é" * 70, "", " ", "a b", "-bad-.example", "x" * 300])
def test_a_host_that_is_no_address_is_a_usage_error(host: str) -> None:
    with pytest.raises(click.BadParameter, match="is not an IP address or a host name"):
        checked_host(host)
    result = CliRunner().invoke(main, ["serve", "--host", host])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "Invalid value for '--host'" in result.output


@pytest.mark.parametrize("host", ["0.0.0.0", "127.0.0.1", "::1", "localhost", "ward7-pc.local"])
def test_addresses_and_host_names_are_taken(host: str) -> None:
    assert checked_host(host) == host
