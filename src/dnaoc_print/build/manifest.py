"""build/manifest.json: what each output was made from, for incremental builds and automation.

For every output it records the hashes of its inputs (the content it uses, story
by story; the layouts; the brand; the package and its options), a fingerprint over
all of them, and the PDF's page count, size and sha256. An output
is up to date when its fingerprint is unchanged and the file on disk is the one
recorded.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from dnaoc_print.atomic import write_atomic
from dnaoc_print.errors import BuildError

MANIFEST_NAME = "manifest.json"
FORMAT = 1


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_text(text: str) -> str:
    return sha256_bytes(text.encode("utf-8"))


def sha256_file(path: Path) -> str:
    return sha256_bytes(path.read_bytes())


def fingerprint(inputs: dict[str, str]) -> str:
    """One hash over every input."""
    return sha256_text(json.dumps(inputs, sort_keys=True))


class Manifest:
    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.path = out_dir / MANIFEST_NAME
        self.outputs: dict[str, dict] = {}
        try:
            data = json.loads(self.path.read_text("utf-8"))
            if data.get("format") == FORMAT:
                self.outputs = data.get("outputs", {})
        except (OSError, ValueError, AttributeError):
            # No manifest, or a damaged one: everything is simply rebuilt.
            self.outputs = {}

    def key(self, target: Path) -> str:
        try:
            return target.relative_to(self.out_dir).as_posix()
        except ValueError:
            return target.as_posix()

    def is_fresh(self, target: Path, job_fingerprint: str) -> bool:
        entry = self.outputs.get(self.key(target))
        if not entry or entry.get("fingerprint") != job_fingerprint or not target.is_file():
            return False
        return sha256_file(target) == entry.get("sha256")

    def record(
        self,
        target: Path,
        job_fingerprint: str,
        inputs: dict[str, str],
        pages: int,
        size: int,
        pdf_sha256: str,
    ) -> None:
        self.outputs[self.key(target)] = {
            "fingerprint": job_fingerprint,
            "inputs": inputs,
            "pages": pages,
            "bytes": size,
            "sha256": pdf_sha256,
        }

    def save(self, generator: str) -> None:
        data = {
            "format": FORMAT,
            "generator": generator,
            "outputs": dict(sorted(self.outputs.items())),
        }
        try:
            write_atomic(self.path, (json.dumps(data, indent=2) + "\n").encode("utf-8"))
        except OSError as error:
            raise BuildError(
                f"cannot write {self.path}: {error.strerror or error}; "
                "the next build will typeset everything again"
            ) from None
