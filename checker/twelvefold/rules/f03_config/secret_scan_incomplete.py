"""TF305 secret-scan-incomplete: file that may hold a secret could not be scanned for secrets."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from twelvefold import kinds, sources
from twelvefold.model import Severity, Violation
from twelvefold.rule import FileRule
from twelvefold.sources import SourceFile


class _NeverInMemory:
    """A prefilter no file in memory passes: TF305 is about files that are not."""

    def search(self, data: bytes) -> bool:
        return False


class SecretScanIncomplete(FileRule):
    """## What it does
    Reports a file that may hold a secret but that the secret scan (TF301) could not
    read whole: a file it is not allowed to read (permissions), or one so large that the
    scan stopped after its first GiB. Every kind of file TF301 reads counts (code,
    configuration, notes, credential stores); data and model files, images and archives
    never do: binary formats carry no secret anyone typed.

    ## Why is this bad?
    The gate says "no secret" about a file nobody read: a key in an unreadable
    `config/prod.yaml` passes review and CI alike. The run cannot tell, so it says so.

    ## Example
    `config/prod.yaml` is mode `000` in the checkout, or `src/tables.py` is 2 GB.

    ## Use instead
    Make the file readable by the user that runs the check (`chmod a+r`), or move large
    generated files out of the repository (an artifact store, DVC, git-LFS).
    """

    code = "TF305"
    name = "secret-scan-incomplete"
    factor = 3
    severity = Severity.WARNING
    summary = "File that may hold a secret could not be scanned for secrets"
    fix = (
        "Make the file readable (or move it out of the repository) so the secret scan can read it."
    )
    kinds = kinds.SECRET_KINDS
    prefilter = _NeverInMemory()
    reads_unloaded: ClassVar[bool] = True

    def check(self, file: SourceFile) -> Iterator[Violation]:
        if file.unreadable is not None:
            yield Violation(
                f"not scanned for secrets: the file could not be read ({file.unreadable})"
            )
        elif file.stream is not None and file.size > sources.MAX_STREAMED_BYTES:
            yield Violation(
                f"only the first {_size(sources.MAX_STREAMED_BYTES)} of {_size(file.size)} "
                "were scanned for secrets"
            )


def _size(count: int) -> str:
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if count >= scale:
            return f"{count / scale:.3g} {unit}"
    return f"{count} bytes"
