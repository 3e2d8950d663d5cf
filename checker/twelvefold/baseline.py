"""Baselines: adopt twelvefold on a repository that already has violations.

`twelvefold check --write-baseline FILE` records today's findings; `twelvefold check
--baseline FILE` then reports only findings that are not in it. A finding is matched by
its *fingerprint*, never by its line number, so a baseline survives unrelated edits:

* rule code + path + what was found: the `key` a rule attaches to its violation (secret
  rules set a hash of the secret), else the finding's source line with all whitespace
  removed and quotes unified (so re-indenting or re-formatting the line keeps it), else
  the message (repo-level findings have no line);
* plus the occurrence index among findings with that same identity in the file, so two
  identical lines are two entries and fixing one of them reports the other.

The file stores only the fingerprint (a SHA-256 digest), the code, the path and, for
humans reviewing it, the message — never the source line, and never the message of a
finding that carries a `key` (a secret finding), so a secret is never stored in clear.

Entries that no longer match (the finding was fixed) are reported as `info` findings
so the baseline shrinks over time: re-run `--write-baseline` to drop them.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from twelvefold.model import Finding, Severity

BASELINE_VERSION = 1
_SPACE = re.compile(r"\s+")


class BaselineError(ValueError):
    """The baseline file is missing, unreadable or not a twelvefold baseline."""


def _identity(finding: Finding) -> str:
    if finding.key is not None:
        what = "key:" + finding.key
    elif finding.source is not None and finding.source.strip():
        what = "line:" + _SPACE.sub("", finding.source).replace("'", '"')
    else:
        what = "message:" + finding.message
    return "\0".join((finding.code, finding.path or "", what))


def fingerprints(findings: Sequence[Finding]) -> list[str]:
    """A stable fingerprint per finding, in the order given.

    Identical identities are numbered in the order of the findings (sorted by line), so
    the n-th occurrence keeps its fingerprint when lines move.
    """
    seen: Counter[str] = Counter()
    result = [""] * len(findings)
    for position in sorted(range(len(findings)), key=lambda i: findings[i].sort_key()):
        identity = _identity(findings[position])
        occurrence = seen[identity]
        seen[identity] += 1
        payload = f"{identity}\0{occurrence}".encode("utf-8", "surrogatepass")
        result[position] = hashlib.sha256(payload).hexdigest()[:32]
    return result


@dataclass(frozen=True)
class Entry:
    fingerprint: str
    code: str
    path: str | None
    message: str


def write(path: Path, findings: Sequence[Finding]) -> int:
    """Record `findings` in `path`; returns how many entries were written."""
    entries = [
        {
            "fingerprint": digest,
            "code": finding.code,
            "path": finding.path,
            # A finding with a key (a secret) keeps only its rule name: the message
            # shows a masked prefix of the secret, which has no place in a committed file.
            "message": finding.name if finding.key is not None else finding.message,
        }
        for finding, digest in zip(findings, fingerprints(findings), strict=True)
    ]
    entries.sort(key=lambda e: (e["path"] or "", e["code"], e["fingerprint"]))
    document = {"version": BASELINE_VERSION, "tool": "twelvefold", "findings": entries}
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return len(entries)


def read(path: Path) -> list[Entry]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(
            f"{path}: baseline file not found (create it with --write-baseline)"
        ) from None
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read the baseline ({exc.strerror})") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(document, dict) or document.get("tool") != "twelvefold":
        raise BaselineError(f'{path}: not a twelvefold baseline (no "tool": "twelvefold")')
    if document.get("version") != BASELINE_VERSION:
        raise BaselineError(
            f"{path}: baseline version {document.get('version')!r} is not supported"
        )
    entries: list[Entry] = []
    for number, raw in enumerate(document.get("findings") or [], start=1):
        if (
            not isinstance(raw, dict)
            or not isinstance(raw.get("fingerprint"), str)
            or not isinstance(raw.get("code"), str)
        ):
            raise BaselineError(f"{path}: entry {number} has no fingerprint or code")
        entry_path = raw.get("path")
        entries.append(
            Entry(
                raw["fingerprint"],
                raw["code"],
                entry_path if isinstance(entry_path, str) else None,
                str(raw.get("message", "")),
            )
        )
    return entries


def apply(
    findings: Sequence[Finding],
    entries: Sequence[Entry],
    in_scope: Callable[[Entry], bool],
    describe: Callable[[str], tuple[str, int]],
) -> tuple[list[Finding], int]:
    """The findings not in the baseline, plus an `info` finding per stale entry.

    `in_scope(entry)` says whether this run could have reproduced the entry (its rule
    ran, its file was audited): only those can be stale. `describe(code)` gives the
    rule's name and factor. Returns the findings and how many were suppressed.
    """
    known = {entry.fingerprint for entry in entries}
    digests = fingerprints(findings)
    kept = [
        finding for finding, digest in zip(findings, digests, strict=True) if digest not in known
    ]
    matched = set(digests) & known
    stale: list[Finding] = []
    for entry in entries:
        if entry.fingerprint in matched or not in_scope(entry):
            continue
        name, factor = describe(entry.code)
        stale.append(
            Finding(
                path=entry.path,
                line=None,
                column=None,
                code=entry.code,
                name=name,
                factor=factor,
                severity=Severity.INFO,
                message=f"baseline entry no longer found (fixed?): {entry.message}",
                fix="Re-run `twelvefold check --write-baseline FILE` to drop stale entries.",
            )
        )
    merged = sorted([*kept, *stale], key=Finding.sort_key)
    return merged, len(findings) - len(kept)
